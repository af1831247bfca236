package flowers.eval;

import flowers.data.BatchLoader;
import flowers.data.LabeledImage;
import flowers.data.LoaderConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/** Runs a model over labelled images: the confusion matrix and the most confident mistakes. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * @param ece expected calibration error of the probabilities evaluated ({@link Calibration})
   * @param eceUncalibrated the same at temperature 1, i.e. before calibration
   * @param maxProbabilities each evaluated image's top probability, in evaluation order
   * @param reliability the evaluated probabilities' reliability diagram
   */
  public record Outcome(ConfusionMatrix matrix, List<Misclassified> worst, int skipped, double ece,
      double eceUncalibrated, double[] maxProbabilities, Calibration.Reliability reliability) {}

  /**
   * @param temperature the calibration {@code model}'s probabilities include: softmax(z / T), so
   *     p^T renormalised gives back softmax(z) for the uncalibrated error
   * @param warn where unreadable images are said, one line each
   */
  public static Outcome evaluate(Evaluation.Model model, double temperature, int imageSize, List<String> classNames,
      List<LabeledImage> images, int batchSize, int loaderThreads, int keepWorst, Consumer<String> warn) {
    ConfusionMatrix cm = new ConfusionMatrix(classNames);
    List<Misclassified> mistakes = new ArrayList<>();
    int c = classNames.size();
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    LoaderConfig config = new LoaderConfig(imageSize, batchSize, 0, loaderThreads, 4, false, false, null);
    try (BatchLoader loader = new BatchLoader(images, config, warn)) {
      Evaluation.run(model, loader, cm, (path, label, p, offset) -> {
        rows.add(java.util.Arrays.copyOfRange(p, offset, offset + c));
        labels.add(label);
        int best = Rows.argMax(p, offset, c);
        if (best != label) {
          mistakes.add(new Misclassified(path, label, best, p[offset + best]));
        }
      });
      mistakes.sort(Comparator.comparingDouble(Misclassified::probability).reversed());
      float[] calibrated = new float[rows.size() * c];
      float[] raw = new float[rows.size() * c];
      for (int i = 0; i < rows.size(); i++) {
        System.arraycopy(rows.get(i), 0, calibrated, i * c, c);
        double sum = 0;
        for (int j = 0; j < c; j++) {
          raw[i * c + j] = (float) Math.pow(rows.get(i)[j], temperature);
          sum += raw[i * c + j];
        }
        for (int j = 0; j < c; j++) {
          raw[i * c + j] /= (float) sum;
        }
      }
      int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
      return new Outcome(cm, List.copyOf(mistakes.subList(0, Math.min(keepWorst, mistakes.size()))),
          loader.skippedCount(), Calibration.expectedCalibrationError(calibrated, y, c),
          Calibration.expectedCalibrationError(raw, y, c), Rejection.maxProbabilities(calibrated, c),
          Calibration.reliability(calibrated, y, c));
    }
  }
}
