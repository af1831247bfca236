package flowers.train;

import flowers.data.AugmentPolicy;
import flowers.data.Sampling;
import flowers.json.Json;
import flowers.model.Architecture;
import flowers.model.ModelConfig;
import flowers.tf.Device;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import java.nio.file.Path;

/**
 * Everything {@code train} can be told (SPEC §5 and the quality options). Built by name with
 * {@link #builder}, whose starting values are {@link Defaults}, the command's defaults too. In
 * train-config.json and checkpoint metadata the architecture's fields sit flat beside the others.
 *
 * @param architecture the input size and model variant
 * @param maxSteps stop after this many optimizer steps in total; 0 = no limit
 * @param threads TF intra-op threads; 0 = TF's default
 * @param loaderThreads image decoding threads
 * @param warmupSteps linear warm-up length; negative = 5 % of the planned steps
 * @param earlyStopPatience stop after this many epochs without a better validation top-1; 0 = off
 * @param logEvery print a progress line every this many steps
 * @param device where the session runs the graph
 * @param augment what happens to training images; {@link AugmentPolicy#AUTO} decides by image size
 * @param optimizer how {@code weightDecay} is applied: L2 in the gradient (Adam) or decoupled (AdamW)
 * @param emaDecay keep a moving average of the weights and validate, evaluate, predict and export
 *     with it; 0 = off
 * @param classWeights how much each class's examples count in the loss
 * @param sampling what a training epoch is made of: every image once, or each class equally often
 */
public record TrainConfig(
    Path dataDir,
    Path checkpointDir,
    @Json.Flat Architecture architecture,
    int batchSize,
    int epochs,
    long maxSteps,
    float learningRate,
    double valFraction,
    long seed,
    int saveEvery,
    int keep,
    int threads,
    int loaderThreads,
    boolean resume,
    LearningRateSchedule.Kind schedule,
    long warmupSteps,
    float labelSmoothing,
    float weightDecay,
    AugmentPolicy augment,
    int earlyStopPatience,
    Precision precision,
    int logEvery,
    Device device,
    Optimizer optimizer,
    float emaDecay,
    ClassWeights classWeights,
    Sampling sampling) {

  /**
   * The one set of defaults: the builder starts from them and {@code train}'s flags show them (as
   * annotation strings, hence constants).
   */
  public static final class Defaults {
    private Defaults() {}

    public static final String DATA_DIR = "dataset";
    public static final String CHECKPOINT_DIR = "checkpoints";
    public static final int IMAGE_SIZE = ModelConfig.DEFAULT_IMAGE_SIZE;
    public static final int BATCH_SIZE = 16;
    public static final int EPOCHS = 30;
    public static final long MAX_STEPS = 0;
    public static final float LEARNING_RATE = 1e-3f;
    public static final double VAL_FRACTION = 0.2;
    public static final long SEED = 42;
    public static final int SAVE_EVERY = 200;
    public static final int KEEP = 5;
    public static final int THREADS = 0;
    public static final int LOADER_THREADS = 2;
    public static final String SCHEDULE = "cosine";
    public static final long WARMUP_STEPS = -1;
    public static final String AUGMENT = "none";
    /** Chosen on two real sets and the synthetic one (README "Results on real photos"). */
    public static final String LABEL_SMOOTHING = "0.1";
    public static final String PRECISION = "auto";
    public static final int LOG_EVERY = 10;
    public static final String DEVICE = "auto";
    public static final String OPTIMIZER = "adam";
    public static final String CLASS_WEIGHTS = "none";
    public static final String SAMPLING = "uniform";
  }

  public TrainConfig {
    require(architecture != null, "no --image-size");
    int imageSize = architecture.imageSize();
    require(imageSize >= 32 && imageSize % 32 == 0, "--image-size must be a positive multiple of 32 (e.g. 64, 224), got " + imageSize);
    require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
    require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
    require(maxSteps >= 0, "--max-steps must be >= 0, got " + maxSteps);
    require(learningRate > 0, "--learning-rate must be > 0, got " + learningRate);
    require(valFraction >= 0 && valFraction < 1, "--val-fraction must be in [0, 1), got " + valFraction);
    require(saveEvery >= 1, "--save-every must be at least 1, got " + saveEvery);
    require(keep >= 1, "--keep must be at least 1, got " + keep);
    require(threads >= 0, "--threads must be >= 0, got " + threads);
    require(loaderThreads >= 1, "--loader-threads must be at least 1, got " + loaderThreads);
    require(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must be in [0, 1), got " + labelSmoothing);
    require(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
    require(earlyStopPatience >= 0, "--early-stop must be >= 0, got " + earlyStopPatience);
    require(logEvery >= 1, "--log-every must be at least 1, got " + logEvery);
    require(emaDecay >= 0 && emaDecay < 1, "--ema-decay must be in [0, 1), got " + emaDecay);
    // A train-config.json from before these options reads them as null.
    augment = augment == null ? AugmentPolicy.NONE : augment;
    optimizer = optimizer == null ? Optimizer.ADAM : optimizer;
    classWeights = classWeights == null ? ClassWeights.NONE : classWeights;
    sampling = sampling == null ? Sampling.UNIFORM : sampling;
    schedule = schedule == null ? LearningRateSchedule.Kind.parse(Defaults.SCHEDULE) : schedule;
    precision = precision == null ? Precision.parse(Defaults.PRECISION) : precision;
    device = device == null ? Device.parse(Defaults.DEVICE) : device;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public int imageSize() {
    return architecture.imageSize();
  }

  public boolean reluAfterAdd() {
    return architecture.reluAfterAdd();
  }

  public boolean batchNorm() {
    return architecture.batchNorm();
  }

  /** The graph's training options. */
  public TrainingGraph.Options graphOptions() {
    return new TrainingGraph.Options(labelSmoothing, weightDecay, optimizer == Optimizer.ADAMW, emaDecay);
  }

  public SessionOptions session() {
    return new SessionOptions(threads, precision, device);
  }

  public ModelConfig model(int numClasses, long seed) {
    return architecture.config(numClasses, seed);
  }

  /** The {@link Defaults}, reading from {@code dataDir} and saving into {@code checkpointDir}. */
  public static TrainConfig defaults(Path dataDir, Path checkpointDir) {
    return builder(dataDir, checkpointDir).build();
  }

  public static TrainConfigBuilder builder(Path dataDir, Path checkpointDir) {
    return new TrainConfigBuilder(dataDir, checkpointDir);
  }

  /** A builder holding these options, to change a few by name. */
  public TrainConfigBuilder toBuilder() {
    return new TrainConfigBuilder(this);
  }
}
