package flowers.checkpoint;

import java.nio.file.Path;
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
 * @param folder where the files are: set when read or saved, never written (folders move), so the
 *     weights always come from beside the metadata
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
    @Json.NotStored Path folder) {

  public static final int FORMAT_VERSION = 1;
  public static final String VAL_TOP1 = "val_top1";

  /** Metadata not yet saved: it has no folder. */
  public CheckpointMetadata(int formatVersion, String name, long step, int epoch, int stepInEpoch, String model,
      int imageSize, List<String> classNames, long seed, double valFraction, String fileListHash,
      Map<String, Double> metrics, long indexBytes, long dataBytes, String savedAt) {
    this(formatVersion, name, step, epoch, stepInEpoch, model, imageSize, classNames, seed, valFraction,
        fileListHash, metrics, indexBytes, dataBytes, savedAt, null);
  }

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
        valFraction, fileListHash, metrics, indexBytes, dataBytes, savedAt, folder);
  }

  CheckpointMetadata inFolder(Path folder) {
    return new CheckpointMetadata(
        formatVersion, name, step, epoch, stepInEpoch, model, imageSize, classNames, seed,
        valFraction, fileListHash, metrics, indexBytes, dataBytes, savedAt, folder);
  }
}
