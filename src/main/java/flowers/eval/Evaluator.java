package flowers.eval;

import flowers.data.BatchLoader;
import flowers.data.LabeledImage;
import flowers.data.LoaderConfig;
import flowers.train.Evaluation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs a model over labelled images: the confusion matrix and the most confident mistakes. */
public final class Evaluator {
  private Evaluator() {}

  public record Outcome(ConfusionMatrix matrix, List<Misclassified> worst, int skipped) {}

  public static Outcome evaluate(Evaluation.Model model, int imageSize, List<String> classNames,
      List<LabeledImage> images, int batchSize, int loaderThreads, int keepWorst) {
    ConfusionMatrix cm = new ConfusionMatrix(classNames);
    List<Misclassified> mistakes = new ArrayList<>();
    int c = classNames.size();
    LoaderConfig config = new LoaderConfig(imageSize, batchSize, 0, loaderThreads, 4, false, false, null);
    try (BatchLoader loader = new BatchLoader(images, config)) {
      Evaluation.run(model, loader, cm, (path, label, p, offset) -> {
        int best = 0;
        for (int j = 1; j < c; j++) {
          if (p[offset + j] > p[offset + best]) {
            best = j;
          }
        }
        if (best != label) {
          mistakes.add(new Misclassified(path, label, best, p[offset + best]));
        }
      });
      mistakes.sort(Comparator.comparingDouble(Misclassified::probability).reversed());
      return new Outcome(cm, List.copyOf(mistakes.subList(0, Math.min(keepWorst, mistakes.size()))),
          loader.skippedCount());
    }
  }
}
