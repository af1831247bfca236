package flowers.report;

import flowers.checkpoint.CheckpointMetadata;
import flowers.eval.Evaluator;
import flowers.eval.Misclassified;
import flowers.runlog.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run report of a checkpoint: its run's history plus an evaluation made by the caller. It
 * renders what it is handed and loads no model, so an {@code evaluate --report} evaluates once.
 */
public final class Reporter {
  private Reporter() {}

  /**
   * @param meta the checkpoint evaluated; its folder holds the run's history
   * @param splitName what the evaluated images were, e.g. {@code validation}
   * @param evaluated the evaluation of {@code meta} on that split; null when there was nothing to evaluate
   */
  public static Path write(Path outDir, CheckpointMetadata meta, String splitName, Evaluator.Outcome evaluated)
      throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("checkpoint", meta.name() + " (step " + meta.step() + ")");
    settings.put("model", meta.model() + ", " + meta.imageSize() + " px, " + meta.classNames().size() + " classes");
    long[][] confusion = null;
    List<Misclassified> worst = List.of();
    if (evaluated != null) {
      confusion = evaluated.matrix().counts();
      worst = evaluated.worst();
      settings.put("calibration", String.format(Locale.ROOT,
          "temperature %.3f, expected calibration error %.4f (%.4f uncalibrated)", meta.temperature(), evaluated.ece(),
          evaluated.eceUncalibrated()));
      settings.put(splitName + " top-1 / top-5", String.format(Locale.ROOT, "%.4f / %.4f (%d images)",
          evaluated.matrix().top1(), evaluated.matrix().top5(), evaluated.matrix().total()));
    }
    settings.put("split", "seed " + meta.seed() + ", validation fraction " + meta.valFraction());
    // The history of the run the checkpoint belongs to: beside it, wherever --checkpoint found it.
    Path runDir = meta.folder();
    ReportData data = new ReportData("Flower ResNet run report", meta.classNames(),
        runDir == null ? List.of() : History.steps(runDir), runDir == null ? List.of() : History.epochs(runDir),
        confusion, worst, settings, evaluated == null ? null : evaluated.reliability());
    return RunReport.write(outDir, data);
  }
}
