package flowers.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * Everything besides the weights that a resume, an evaluation or an export needs, written as
 * {@code <name>.json} beside the TF bundle {@code <name>.index} + {@code <name>.data-00000-of-00001}.
 *
 * @param name file prefix of the bundle inside the checkpoint folder, e.g. {@code ckpt-00000200}
 * @param step optimizer steps taken
 * @param epoch epoch of the next batch to train
 * @param stepInEpoch position of the next batch to train within {@code epoch}
 * @param model model variant, see {@code ModelConfig.variant()}
 * @param valFraction share of each class held out for validation
 * @param fileListHash SHA-256 of the dataset's file list and labels, to detect a changed dataset
 * @param metrics e.g. {@code val_top1}, {@code train_loss}; absent where not measured
 * @param indexBytes size of the {@code .index} file, so a truncated bundle is never "latest"
 * @param dataBytes size of the {@code .data-00000-of-00001} file
 * @param splitRule the {@code flowers.data.SplitRule} id of the run's train/validation split; null in
 *     checkpoints written before it was recorded, which all used the old rule ({@link #splitRuleOrOld})
 */
public record CheckpointMetadata(
    int formatVersion,
    String name,
    long step,
    int epoch,
    int stepInEpoch,
    String model,
    int imageSize,
    List<String> classNames,
    long seed,
    double valFraction,
    String fileListHash,
    Map<String, Double> metrics,
    long indexBytes,
    long dataBytes,
    String savedAt,
    String splitRule) {

  public static final int FORMAT_VERSION = 1;

  /** Without a split rule: what every caller wrote before the rule was recorded. */
  public CheckpointMetadata(int formatVersion, String name, long step, int epoch, int stepInEpoch, String model,
      int imageSize, List<String> classNames, long seed, double valFraction, String fileListHash,
      Map<String, Double> metrics, long indexBytes, long dataBytes, String savedAt) {
    this(formatVersion, name, step, epoch, stepInEpoch, model, imageSize, classNames, seed, valFraction, fileListHash,
        metrics, indexBytes, dataBytes, savedAt, null);
  }
  public static final String VAL_TOP1 = "val_top1";

  public double valTop1() {
    Double v = metrics == null ? null : metrics.get(VAL_TOP1);
    return v == null ? Double.NaN : v;
  }

  /** The graph these weights belong to. */
  public flowers.model.ModelConfig modelConfig() {
    return flowers.model.ModelConfig.ofVariant(model, imageSize, classNames.size(), seed);
  }

  public CheckpointMetadata withFiles(String name, long indexBytes, long dataBytes, String savedAt) {
    return new CheckpointMetadata(
        formatVersion, name, step, epoch, stepInEpoch, model, imageSize, classNames, seed,
        valFraction, fileListHash, metrics, indexBytes, dataBytes, savedAt, splitRule);
  }

  public CheckpointMetadata withSplitRule(String rule) {
    return new CheckpointMetadata(
        formatVersion, name, step, epoch, stepInEpoch, model, imageSize, classNames, seed,
        valFraction, fileListHash, metrics, indexBytes, dataBytes, savedAt, rule);
  }

  /** The split rule, where a checkpoint that records none means the one all runs used before. */
  public flowers.data.SplitRule splitRuleOrOld() {
    return flowers.data.SplitRule.of(splitRule);
  }
}
