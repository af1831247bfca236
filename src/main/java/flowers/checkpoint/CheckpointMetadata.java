package flowers.checkpoint;

import flowers.json.Json;
import com.google.gson.JsonObject;
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
 * @param stepInEpoch position of the next batch to train within {@code epoch}, in batches of the
 *     run's batch size at the time
 * @param model model variant, see {@code ModelConfig.variant()}
 * @param valFraction share of each class held out for validation
 * @param fileListHash SHA-256 of the dataset's file list and labels, to detect a changed dataset
 * @param metrics e.g. {@code val_top1}, {@code train_loss}; absent where not measured
 * @param indexBytes size of the {@code .index} file, so a truncated bundle is never "latest"
 * @param dataBytes size of the {@code .data-00000-of-00001} file
 * @param runId the run these weights belong to (see {@link #newRunId}); null in checkpoints written
 *     before runs had ids
 * @param imagesInEpoch images of {@code epoch}'s order already trained on: unlike {@code
 *     stepInEpoch} it still holds when a resume changes the batch size; 0 where {@code runId} is null
 * @param config the {@code train} options of the run, as in {@code train-config.json}; null where
 *     {@code runId} is null. Opaque here: the trainer reads it.
 * @param splitRule the {@code flowers.data.SplitRule} id of the run's train/validation split; null in
 *     checkpoints written before it was recorded, which all used the old rule ({@link #splitRuleOrOld})
 * @param folder where the files are: set when read or saved, never written (folders move, e.g. into
 *     {@code previous-runs/}), so the weights always come from beside the metadata
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
    String runId,
    int imagesInEpoch,
    JsonObject config,
    String splitRule,
    @Json.NotStored Path folder) {

  public static final int FORMAT_VERSION = 1;
  public static final String VAL_TOP1 = "val_top1";
  /**
   * In {@code metrics}: the temperature that calibrated these weights' probabilities on the
   * validation split (see {@code eval.Calibration}); absent = 1, uncalibrated.
   */
  public static final String TEMPERATURE = "temperature";

  /**
   * In {@code metrics}: the top calibrated probability below which {@code predict --min-confidence
   * auto} answers "unknown", chosen on the validation split by {@code eval.Rejection.autoThreshold};
   * absent in checkpoints written before it was measured, or when no validation image was right.
   */
  public static final String MIN_CONFIDENCE = "min_confidence";

  /** The automatic "unknown" threshold; NaN where none was chosen. */
  public double minConfidence() {
    Double t = metrics == null ? null : metrics.get(MIN_CONFIDENCE);
    // 1 is a real answer: a model whose right answers all have probability 1.0f in float32.
    return t == null || !(t > 0 && t <= 1) ? Double.NaN : t;
  }

  /** The calibration temperature; 1 where none was fitted. */
  public double temperature() {
    Double t = metrics == null ? null : metrics.get(TEMPERATURE);
    return t == null || !(t > 0) ? 1 : t;
  }

  /** Whether the run kept weight averages ({@code --ema-decay}), which inference then uses. */
  public boolean weightAverages() {
    return config != null && config.has("ema_decay") && config.get("ema_decay").getAsDouble() > 0;
  }

  /** Named construction: {@code CheckpointMetadata.builder().step(200).epoch(3)…build()}. */
  public static CheckpointMetadataBuilder builder() {
    return new CheckpointMetadataBuilder();
  }

  /** A builder holding this metadata, to change a few fields by name. */
  public CheckpointMetadataBuilder toBuilder() {
    return new CheckpointMetadataBuilder(this);
  }

  /**
   * A new run's id: the UTC time it started, readable and sorting in start order, plus a random
   * suffix so that two runs started in the same second differ. It names the run's folder under
   * {@code previous-runs/}.
   */
  public static String newRunId() {
    String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    return time + "-" + String.format("%04x", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
  }

  public double valTop1() {
    Double v = metrics == null ? null : metrics.get(VAL_TOP1);
    return v == null ? Double.NaN : v;
  }

  /** The graph these weights belong to. */
  public flowers.model.ModelConfig modelConfig() {
    return flowers.model.ModelConfig.ofVariant(model, imageSize, classNames.size(), seed)
        .withTemperature((float) temperature());
  }

  CheckpointMetadata inFolder(Path folder) {
    return toBuilder().folder(folder).build();
  }

  /** The split rule, where a checkpoint that records none means the one all runs used before. */
  public flowers.data.SplitRule splitRuleOrOld() {
    return flowers.data.SplitRule.of(splitRule);
  }
}
