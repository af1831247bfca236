package flowers.eval;

import java.util.List;
import java.util.Map;

/**
 * What {@code evaluate --json} writes (snake_case keys, SPEC §5).
 *
 * @param confusion rows = true class, columns = predicted class, in class-id order
 */
public record EvalReport(
    String checkpoint,
    String split,
    double top1,
    double top5,
    long numImages,
    int skipped,
    Map<String, ConfusionMatrix.ClassMetrics> perClass,
    List<String> classNames,
    long[][] confusion) {

  public static EvalReport of(String checkpoint, String split, ConfusionMatrix cm, int skipped) {
    return new EvalReport(checkpoint, split, cm.top1(), cm.top5(), cm.total(), skipped, cm.perClass(),
        cm.classNames(), cm.counts());
  }
}
