package flowers.checkpoint;

import com.google.gson.JsonObject;
import flowers.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link CheckpointMetadata} by name. What the trainer knows it sets; the file sizes, the save time
 * and the folder are set by {@link CheckpointManager} when it saves or reads.
 */
public final class CheckpointMetadataBuilder {
  private int formatVersion = CheckpointMetadata.FORMAT_VERSION;
  private String name;
  private long step;
  private int epoch;
  private int stepInEpoch;
  private String model;
  private int imageSize;
  private List<String> classNames = List.of();
  private long seed;
  private double valFraction;
  private String fileListHash;
  private Map<String, Double> metrics = Map.of();
  private long indexBytes;
  private long dataBytes;
  private String savedAt;
  private String runId;
  private int imagesInEpoch;
  private JsonObject config;
  private String splitRule;
  private Path folder;

  CheckpointMetadataBuilder() {}

  CheckpointMetadataBuilder(CheckpointMetadata m) {
    formatVersion = m.formatVersion();
    name = m.name();
    step = m.step();
    epoch = m.epoch();
    stepInEpoch = m.stepInEpoch();
    model = m.model();
    imageSize = m.imageSize();
    classNames = m.classNames();
    seed = m.seed();
    valFraction = m.valFraction();
    fileListHash = m.fileListHash();
    metrics = m.metrics();
    indexBytes = m.indexBytes();
    dataBytes = m.dataBytes();
    savedAt = m.savedAt();
    runId = m.runId();
    imagesInEpoch = m.imagesInEpoch();
    config = m.config();
    splitRule = m.splitRule();
    folder = m.folder();
  }

  public CheckpointMetadata build() {
    return new CheckpointMetadata(formatVersion, name, step, epoch, stepInEpoch, model, imageSize, classNames, seed,
        valFraction, fileListHash, metrics, indexBytes, dataBytes, savedAt, runId, imagesInEpoch, config, splitRule,
        folder);
  }

  /** The graph: its variant name and input size (the seed is the run's: {@link #seed}). */
  public CheckpointMetadataBuilder model(ModelConfig m) {
    model = m.variant();
    imageSize = m.imageSize();
    return this;
  }

  /** Where the bundle is: its name in the folder and its files' sizes, checked when read back. */
  public CheckpointMetadataBuilder files(String name, long indexBytes, long dataBytes, String savedAt) {
    this.name = name;
    this.indexBytes = indexBytes;
    this.dataBytes = dataBytes;
    this.savedAt = savedAt;
    return this;
  }

  /** The run these weights belong to, {@code imagesInEpoch} into its epoch, trained with {@code config}. */
  public CheckpointMetadataBuilder run(String runId, int imagesInEpoch, JsonObject config) {
    this.runId = runId;
    this.imagesInEpoch = imagesInEpoch;
    this.config = config;
    return this;
  }

  public CheckpointMetadataBuilder formatVersion(int value) {
    formatVersion = value;
    return this;
  }

  public CheckpointMetadataBuilder step(long value) {
    step = value;
    return this;
  }

  public CheckpointMetadataBuilder epoch(int value) {
    epoch = value;
    return this;
  }

  public CheckpointMetadataBuilder stepInEpoch(int value) {
    stepInEpoch = value;
    return this;
  }

  public CheckpointMetadataBuilder model(String value) {
    model = value;
    return this;
  }

  public CheckpointMetadataBuilder imageSize(int value) {
    imageSize = value;
    return this;
  }

  public CheckpointMetadataBuilder classNames(List<String> value) {
    classNames = value;
    return this;
  }

  public CheckpointMetadataBuilder seed(long value) {
    seed = value;
    return this;
  }

  public CheckpointMetadataBuilder valFraction(double value) {
    valFraction = value;
    return this;
  }

  public CheckpointMetadataBuilder fileListHash(String value) {
    fileListHash = value;
    return this;
  }

  public CheckpointMetadataBuilder metrics(Map<String, Double> value) {
    metrics = value;
    return this;
  }

  public CheckpointMetadataBuilder splitRule(String value) {
    splitRule = value;
    return this;
  }

  CheckpointMetadataBuilder folder(Path value) {
    folder = value;
    return this;
  }
}
