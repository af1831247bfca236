package flowers.report;

import flowers.eval.Misclassified;
import flowers.runlog.History;
import java.util.List;
import java.util.Map;

/**
 * What a run report shows. Any part may be empty or null; the report leaves out what it lacks.
 *
 * @param classNames index = class id, as in the confusion matrix and {@link Misclassified}
 * @param steps one point per training step: loss, accuracy and learning rate
 * @param epochs one point per epoch; validation values are NaN where the epoch was not validated
 * @param confusion rows = true class, columns = predicted; null when not evaluated
 * @param misclassified the most confident mistakes, most confident first
 * @param settings shown as a table: the run's configuration and the evaluated checkpoint
 * @param reliability the evaluated probabilities' reliability diagram; null when not evaluated
 */
public record ReportData(String title, List<String> classNames, List<History.StepPoint> steps,
    List<History.EpochPoint> epochs, long[][] confusion, List<Misclassified> misclassified,
    Map<String, String> settings, flowers.eval.Calibration.Reliability reliability) {

  public ReportData(String title, List<String> classNames, List<History.StepPoint> steps,
      List<History.EpochPoint> epochs, long[][] confusion, List<Misclassified> misclassified,
      Map<String, String> settings) {
    this(title, classNames, steps, epochs, confusion, misclassified, settings, null);
  }

  public ReportData {
    // Null means "not there yet" to every caller; normalising here keeps the drawing code free of checks.
    title = title == null ? "Run report" : title;
    classNames = classNames == null ? List.of() : classNames;
    steps = steps == null ? List.of() : steps;
    epochs = epochs == null ? List.of() : epochs;
    misclassified = misclassified == null ? List.of() : misclassified;
    settings = settings == null ? Map.of() : settings;
  }
}
