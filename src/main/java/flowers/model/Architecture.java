package flowers.model;

/**
 * The part of {@link ModelConfig} a training run chooses: the input size and the variant. The rest
 * (classes, seed) comes from the data and the run, the temperature from calibration.
 *
 * @param imageSize side of the square input in pixels, a multiple of 32
 * @param reluAfterAdd see {@link ModelConfig#reluAfterAdd()}
 * @param batchNorm see {@link ModelConfig#batchNorm()}
 */
public record Architecture(int imageSize, boolean reluAfterAdd, boolean batchNorm) {

  /** The seed's graph at {@code imageSize}. */
  public static Architecture plain(int imageSize) {
    return new Architecture(imageSize, false, false);
  }

  public ModelConfig config(int numClasses, long seed) {
    return new ModelConfig(imageSize, numClasses, seed, reluAfterAdd, batchNorm);
  }
}
