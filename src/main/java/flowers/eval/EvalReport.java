package flowers.eval;

import java.util.List;
import java.util.Map;

/**
 * What {@code evaluate --json} writes (snake_case keys, SPEC §5).
 *
 * @param macroRecall the mean of the per-class recalls (classes with images in the split)
 * @param balancedAccuracy the same number under the name scikit-learn gives it: with one label per
 *     image, balanced accuracy is the macro-averaged recall
 * @param confusion rows = true class, columns = predicted class, in class-id order
 * @param temperature the calibration the probabilities were evaluated at (1 = none)
 * @param ece expected calibration error (15 bins) of those probabilities
 * @param eceUncalibrated the same at temperature 1
 */
public record EvalReport(
    String checkpoint,
    String split,
    double top1,
    double top5,
    double macroRecall,
    double balancedAccuracy,
    long numImages,
    int skipped,
    Map<String, ConfusionMatrix.ClassMetrics> perClass,
    List<String> classNames,
    long[][] confusion,
    double temperature,
    double ece,
    double eceUncalibrated) {

  public static EvalReport of(String checkpoint, String split, Evaluator.Outcome o, double temperature, int skipped) {
    ConfusionMatrix cm = o.matrix();
    return new EvalReport(checkpoint, split, cm.top1(), cm.top5(), cm.macroRecall(), cm.macroRecall(), cm.total(),
        skipped, cm.perClass(), cm.classNames(), cm.counts(), temperature, o.ece(), o.eceUncalibrated());
  }
}
