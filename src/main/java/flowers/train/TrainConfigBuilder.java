package flowers.train;

import flowers.data.AugmentPolicy;
import flowers.data.Sampling;
import flowers.model.Architecture;
import flowers.tf.Device;
import flowers.tf.Precision;
import java.nio.file.Path;

/**
 * {@link TrainConfig} by name: {@code TrainConfig.builder(data, checkpoints).imageSize(64).epochs(3).build()}.
 * Starts from {@link TrainConfig.Defaults}; {@link #build} checks the values.
 */
public final class TrainConfigBuilder {
  private Path dataDir;
  private Path checkpointDir;
  private int imageSize = TrainConfig.Defaults.IMAGE_SIZE;
  private boolean reluAfterAdd = false;
  private boolean batchNorm = false;
  private int batchSize = TrainConfig.Defaults.BATCH_SIZE;
  private int epochs = TrainConfig.Defaults.EPOCHS;
  private long maxSteps = TrainConfig.Defaults.MAX_STEPS;
  private float learningRate = TrainConfig.Defaults.LEARNING_RATE;
  private double valFraction = TrainConfig.Defaults.VAL_FRACTION;
  private long seed = TrainConfig.Defaults.SEED;
  private int saveEvery = TrainConfig.Defaults.SAVE_EVERY;
  private int keep = TrainConfig.Defaults.KEEP;
  private int threads = TrainConfig.Defaults.THREADS;
  private int loaderThreads = TrainConfig.Defaults.LOADER_THREADS;
  private boolean resume = true;
  private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.parse(TrainConfig.Defaults.SCHEDULE);
  private long warmupSteps = TrainConfig.Defaults.WARMUP_STEPS;
  private float labelSmoothing = Float.parseFloat(TrainConfig.Defaults.LABEL_SMOOTHING);
  private float weightDecay = 0f;
  private AugmentPolicy augment = AugmentPolicy.parse(TrainConfig.Defaults.AUGMENT);
  private int earlyStopPatience = 0;
  private Precision precision = Precision.parse(TrainConfig.Defaults.PRECISION);
  private int logEvery = TrainConfig.Defaults.LOG_EVERY;
  private Device device = Device.parse(TrainConfig.Defaults.DEVICE);
  private Optimizer optimizer = Optimizer.parse(TrainConfig.Defaults.OPTIMIZER);
  private float emaDecay = 0f;
  private ClassWeights classWeights = ClassWeights.parse(TrainConfig.Defaults.CLASS_WEIGHTS);
  private Sampling sampling = Sampling.parse(TrainConfig.Defaults.SAMPLING);

  TrainConfigBuilder(Path dataDir, Path checkpointDir) {
    this.dataDir = dataDir;
    this.checkpointDir = checkpointDir;
  }

  TrainConfigBuilder(TrainConfig c) {
    dataDir = c.dataDir();
    checkpointDir = c.checkpointDir();
    imageSize = c.imageSize();
    reluAfterAdd = c.reluAfterAdd();
    batchNorm = c.batchNorm();
    batchSize = c.batchSize();
    epochs = c.epochs();
    maxSteps = c.maxSteps();
    learningRate = c.learningRate();
    valFraction = c.valFraction();
    seed = c.seed();
    saveEvery = c.saveEvery();
    keep = c.keep();
    threads = c.threads();
    loaderThreads = c.loaderThreads();
    resume = c.resume();
    schedule = c.schedule();
    warmupSteps = c.warmupSteps();
    labelSmoothing = c.labelSmoothing();
    weightDecay = c.weightDecay();
    augment = c.augment();
    earlyStopPatience = c.earlyStopPatience();
    precision = c.precision();
    logEvery = c.logEvery();
    device = c.device();
    optimizer = c.optimizer();
    emaDecay = c.emaDecay();
    classWeights = c.classWeights();
    sampling = c.sampling();
  }

  public TrainConfig build() {
    return new TrainConfig(dataDir, checkpointDir, new Architecture(imageSize, reluAfterAdd, batchNorm), batchSize,
        epochs, maxSteps, learningRate, valFraction, seed, saveEvery, keep, threads, loaderThreads, resume, schedule,
        warmupSteps, labelSmoothing, weightDecay, augment, earlyStopPatience, precision, logEvery, device, optimizer,
        emaDecay, classWeights, sampling);
  }

  public TrainConfigBuilder dataDir(Path value) {
    dataDir = value;
    return this;
  }

  public TrainConfigBuilder checkpointDir(Path value) {
    checkpointDir = value;
    return this;
  }

  /** The input size and variant at once, e.g. a checkpoint's. */
  public TrainConfigBuilder architecture(Architecture a) {
    imageSize = a.imageSize();
    reluAfterAdd = a.reluAfterAdd();
    batchNorm = a.batchNorm();
    return this;
  }

  public TrainConfigBuilder imageSize(int value) {
    imageSize = value;
    return this;
  }

  public TrainConfigBuilder reluAfterAdd(boolean value) {
    reluAfterAdd = value;
    return this;
  }

  public TrainConfigBuilder batchNorm(boolean value) {
    batchNorm = value;
    return this;
  }

  public TrainConfigBuilder batchSize(int value) {
    batchSize = value;
    return this;
  }

  public TrainConfigBuilder epochs(int value) {
    epochs = value;
    return this;
  }

  public TrainConfigBuilder maxSteps(long value) {
    maxSteps = value;
    return this;
  }

  public TrainConfigBuilder learningRate(float value) {
    learningRate = value;
    return this;
  }

  public TrainConfigBuilder valFraction(double value) {
    valFraction = value;
    return this;
  }

  public TrainConfigBuilder seed(long value) {
    seed = value;
    return this;
  }

  public TrainConfigBuilder saveEvery(int value) {
    saveEvery = value;
    return this;
  }

  public TrainConfigBuilder keep(int value) {
    keep = value;
    return this;
  }

  public TrainConfigBuilder threads(int value) {
    threads = value;
    return this;
  }

  public TrainConfigBuilder loaderThreads(int value) {
    loaderThreads = value;
    return this;
  }

  public TrainConfigBuilder resume(boolean value) {
    resume = value;
    return this;
  }

  public TrainConfigBuilder schedule(LearningRateSchedule.Kind value) {
    schedule = value;
    return this;
  }

  public TrainConfigBuilder warmupSteps(long value) {
    warmupSteps = value;
    return this;
  }

  public TrainConfigBuilder labelSmoothing(float value) {
    labelSmoothing = value;
    return this;
  }

  public TrainConfigBuilder weightDecay(float value) {
    weightDecay = value;
    return this;
  }

  public TrainConfigBuilder augment(AugmentPolicy value) {
    augment = value;
    return this;
  }

  public TrainConfigBuilder earlyStopPatience(int value) {
    earlyStopPatience = value;
    return this;
  }

  public TrainConfigBuilder precision(Precision value) {
    precision = value;
    return this;
  }

  public TrainConfigBuilder logEvery(int value) {
    logEvery = value;
    return this;
  }

  public TrainConfigBuilder device(Device value) {
    device = value;
    return this;
  }

  public TrainConfigBuilder optimizer(Optimizer value) {
    optimizer = value;
    return this;
  }

  public TrainConfigBuilder emaDecay(float value) {
    emaDecay = value;
    return this;
  }

  public TrainConfigBuilder classWeights(ClassWeights value) {
    classWeights = value;
    return this;
  }

  public TrainConfigBuilder sampling(Sampling value) {
    sampling = value;
    return this;
  }
}
