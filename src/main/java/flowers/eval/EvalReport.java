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
 * @param minConfidence the checkpoint's automatic "unknown" threshold; null (left out) where it has none
 * @param unknownShare share of the evaluated images whose top probability is below it
 * @param oodAuroc with {@code --ood-dir}: AUROC of the top probability separating the evaluated images
 *     (positives) from the other things (negatives); null (left out) otherwise
 * @param oodImages how many of the other things were read
 * @param oodUnknownShare share of them below {@code minConfidence}
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
    double eceUncalibrated,
    Double minConfidence,
    Double unknownShare,
    Double oodAuroc,
    Integer oodImages,
    Double oodUnknownShare) {

  public static EvalReport of(String checkpoint, String split, Evaluator.Outcome o, double temperature, int skipped) {
    ConfusionMatrix cm = o.matrix();
    return new EvalReport(checkpoint, split, cm.top1(), cm.top5(), cm.macroRecall(), cm.macroRecall(), cm.total(),
        skipped, cm.perClass(), cm.classNames(), cm.counts(), temperature, o.ece(), o.eceUncalibrated(),
        null, null, null, null, null);
  }

  /**
   * @param minConfidence NaN where the checkpoint has no threshold
   * @param ood the other things' top probabilities; null without {@code --ood-dir}
   */
  public EvalReport withUnknowns(double minConfidence, double[] evaluated, double[] ood) {
    boolean threshold = !Double.isNaN(minConfidence);
    return new EvalReport(checkpoint, split, top1, top5, macroRecall, balancedAccuracy, numImages, skipped, perClass,
        classNames, confusion, temperature, ece, eceUncalibrated,
        threshold ? minConfidence : null,
        threshold ? Rejection.share(evaluated, minConfidence) : null,
        ood == null ? null : Rejection.auroc(evaluated, ood),
        ood == null ? null : ood.length,
        ood == null || !threshold ? null : Rejection.share(ood, minConfidence));
  }
}
