package flowers.train;

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
 * @param classWeights how much each class's examples count in the loss
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
    boolean augment,
    int earlyStopPatience,
    boolean reluAfterAdd,
    boolean batchNorm,
    Precision precision,
    int logEvery,
    Device device,
    ClassWeights classWeights) {

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
  }

  /** Every example weighing 1, as before {@code --class-weights}. */
  public TrainConfig(Path dataDir, Path checkpointDir, int imageSize, int batchSize, int epochs, long maxSteps,
      float learningRate, double valFraction, long seed, int saveEvery, int keep, int threads, int loaderThreads,
      boolean resume, LearningRateSchedule.Kind schedule, long warmupSteps, float labelSmoothing, float weightDecay,
      boolean augment, int earlyStopPatience, boolean reluAfterAdd, boolean batchNorm, Precision precision,
      int logEvery, Device device) {
    this(dataDir, checkpointDir, imageSize, batchSize, epochs, maxSteps, learningRate, valFraction, seed, saveEvery,
        keep, threads, loaderThreads, resume, schedule, warmupSteps, labelSmoothing, weightDecay, augment,
        earlyStopPatience, reluAfterAdd, batchNorm, precision, logEvery, device, ClassWeights.NONE);
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
