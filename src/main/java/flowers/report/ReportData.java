package flowers.report;

import flowers.eval.Misclassified;
import flowers.train.History;
import java.util.List;
import java.util.Map;

/**
 * What a run report shows. Any part may be empty; the report leaves out what it lacks.
 *
 * @param confusion rows = true class, columns = predicted; null when not evaluated
 * @param settings shown as a table: the run's configuration and the evaluated checkpoint
 */
public record ReportData(String title, List<String> classNames, List<History.StepPoint> steps,
    List<History.EpochPoint> epochs, long[][] confusion, List<Misclassified> misclassified,
    Map<String, String> settings) {}
