package flowers.report;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.data.LabeledImage;
import flowers.eval.Evaluator;
import flowers.serve.Classifier;
import flowers.runlog.History;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the run report of a checkpoint: its folder's training history plus a fresh evaluation. */
public final class Reporter {
  private Reporter() {}

  public static Path write(CheckpointManager checkpoints, CheckpointMetadata meta, List<LabeledImage> images,
      String splitName, Path outDir, int batchSize, int loaderThreads, SessionOptions session) throws IOException {
    long[][] confusion = null;
    List<flowers.eval.Misclassified> worst = List.of();
    flowers.eval.Calibration.Reliability reliability = null;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("checkpoint", meta.name() + " (step " + meta.step() + ")");
    settings.put("model", meta.model() + ", " + meta.imageSize() + " px, " + meta.classNames().size() + " classes");
    if (!images.isEmpty()) {
      try (Classifier c = Classifier.fromCheckpoint(checkpoints, meta, session)) {
        Evaluator.Outcome o = Evaluator.evaluate(c::probabilities, meta.temperature(), c.imageSize(), c.classNames(),
            images, batchSize, loaderThreads, 24);
        confusion = o.matrix().counts();
        worst = o.worst();
        reliability = o.reliability();
        settings.put("calibration", String.format(Locale.ROOT,
            "temperature %.3f, expected calibration error %.4f (%.4f uncalibrated)", meta.temperature(), o.ece(),
            o.eceUncalibrated()));
        settings.put(splitName + " top-1 / top-5", String.format(Locale.ROOT, "%.4f / %.4f (%d images)",
            o.matrix().top1(), o.matrix().top5(), o.matrix().total()));
      }
    }
    settings.put("split", "seed " + meta.seed() + ", validation fraction " + meta.valFraction());
    // The history of the run the checkpoint belongs to: beside it, wherever --checkpoint found it.
    Path runDir = meta.folder() != null ? meta.folder() : checkpoints.dir();
    ReportData data = new ReportData("Flower ResNet run report", meta.classNames(), History.steps(runDir),
        History.epochs(runDir), confusion, worst, settings, reliability);
    return RunReport.write(outDir, data);
  }
}
