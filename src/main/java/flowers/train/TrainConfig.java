package flowers.train;

import flowers.data.AugmentPolicy;
import flowers.data.Sampling;
import flowers.tf.Device;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import java.nio.file.Path;

/**
 * Everything {@code train} can be told (SPEC §5 and the quality options).
 *
 * @param maxSteps stop after this many optimizer steps in total; 0 = no limit
 * @param threads TF intra-op threads; 0 = TF's default
 * @param loaderThreads image decoding threads
 * @param warmupSteps linear warm-up length; negative = 5 % of the planned steps
 * @param earlyStopPatience stop after this many epochs without a better validation top-1; 0 = off
 * @param logEvery print a progress line every this many steps
 * @param device where the session runs the graph
 * @param batchNorm variant: batch normalisation after every conv (off = the seed's graph)
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
    int imageSize,
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
    boolean reluAfterAdd,
    boolean batchNorm,
    Precision precision,
    int logEvery,
    Device device,
    Optimizer optimizer,
    float emaDecay,
    ClassWeights classWeights,
    Sampling sampling) {

  public TrainConfig {
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
  }

  /** The options as they were before {@code --sampling}: every image once per epoch. */
  public TrainConfig(Path dataDir, Path checkpointDir, int imageSize, int batchSize, int epochs, long maxSteps,
      float learningRate, double valFraction, long seed, int saveEvery, int keep, int threads, int loaderThreads,
      boolean resume, LearningRateSchedule.Kind schedule, long warmupSteps, float labelSmoothing, float weightDecay,
      AugmentPolicy augment, int earlyStopPatience, boolean reluAfterAdd, boolean batchNorm, Precision precision,
      int logEvery, Device device, Optimizer optimizer, float emaDecay, ClassWeights classWeights) {
    this(dataDir, checkpointDir, imageSize, batchSize, epochs, maxSteps, learningRate, valFraction, seed, saveEvery,
        keep, threads, loaderThreads, resume, schedule, warmupSteps, labelSmoothing, weightDecay, augment,
        earlyStopPatience, reluAfterAdd, batchNorm, precision, logEvery, device, optimizer, emaDecay, classWeights,
        Sampling.UNIFORM);
  }

  /** The options as they were before augmentation policies, AdamW, weight averages and class weights. */
  public TrainConfig(Path dataDir, Path checkpointDir, int imageSize, int batchSize, int epochs, long maxSteps,
      float learningRate, double valFraction, long seed, int saveEvery, int keep, int threads, int loaderThreads,
      boolean resume, LearningRateSchedule.Kind schedule, long warmupSteps, float labelSmoothing, float weightDecay,
      boolean augment, int earlyStopPatience, boolean reluAfterAdd, boolean batchNorm, Precision precision,
      int logEvery, Device device) {
    this(dataDir, checkpointDir, imageSize, batchSize, epochs, maxSteps, learningRate, valFraction, seed, saveEvery,
        keep, threads, loaderThreads, resume, schedule, warmupSteps, labelSmoothing, weightDecay,
        augment ? AugmentPolicy.STRONG : AugmentPolicy.NONE, earlyStopPatience, reluAfterAdd, batchNorm, precision,
        logEvery, device, Optimizer.ADAM, 0f, ClassWeights.NONE);
  }

  public TrainConfig withRecipe(AugmentPolicy augment, Optimizer optimizer, float weightDecay, float emaDecay) {
    return new TrainConfig(dataDir, checkpointDir, imageSize, batchSize, epochs, maxSteps, learningRate, valFraction,
        seed, saveEvery, keep, threads, loaderThreads, resume, schedule, warmupSteps, labelSmoothing, weightDecay,
        augment, earlyStopPatience, reluAfterAdd, batchNorm, precision, logEvery, device, optimizer, emaDecay,
        classWeights, sampling);
  }

  /** The graph's training options. */
  public TrainingGraph.Options graphOptions() {
    return new TrainingGraph.Options(labelSmoothing, weightDecay, optimizer == Optimizer.ADAMW, emaDecay);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  public SessionOptions session() {
    return new SessionOptions(threads, precision, device);
  }

  public flowers.model.ModelConfig model(int numClasses, long seed) {
    return new flowers.model.ModelConfig(imageSize, numClasses, seed, reluAfterAdd, batchNorm);
  }

  /** SPEC §5 defaults, for tests and the API. */
  public static TrainConfig defaults(Path dataDir, Path checkpointDir) {
    return new TrainConfig(
        dataDir, checkpointDir, 224, 16, 30, 0, 1e-3f, 0.2, 42, 200, 5, 0,
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true,
        LearningRateSchedule.Kind.COSINE, -1, 0f, 0f, false, 0, false, false, Precision.FP32, 10, Device.AUTO);
  }
}
