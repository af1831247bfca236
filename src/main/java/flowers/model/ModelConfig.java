package flowers.model;

/**
 * What the graph builder needs to know. Everything else (data, optimizer, files) lives elsewhere.
 *
 * @param imageSize side of the square input in pixels; a multiple of 32 so the five 2×2 pools divide it
 * @param numClasses width of the final dense layer
 * @param seed seed of the deterministic weight initialisation (each layer derives its own)
 * @param reluAfterAdd the original ResNet unit (He et al.): no ReLU on a branch's last conv or on the
 *     shortcut conv, one ReLU after each residual sum (off = the seed's graph)
 * @param batchNorm variant: batch normalisation after every conv, before its ReLU (off = the seed's graph)
 * @param conv1FourChannels how conv1 is computed, not what: the image and conv1's kernel are padded
 *     with a zero channel inside the graph, so conv1 runs on 4 input channels. Exact; the variables,
 *     names and checkpoints are those of the 3-channel model. On some CPUs oneDNN's bf16 kernel for a
 *     3-channel 7×7 conv computes wrong results where the 4-channel one is right (see Bf16Check).
 * @param temperature the probabilities are softmax(logits / temperature): 1 as trained, or the value
 *     calibration fitted on the validation split (the logits themselves never change)
 */
public record ModelConfig(int imageSize, int numClasses, long seed, boolean reluAfterAdd, boolean batchNorm,
    boolean conv1FourChannels, float temperature) {

  public static final int DEFAULT_IMAGE_SIZE = 224;

  /** What {@link #conv1FourChannels()} is called in what a user reads. */
  public static final String CONV1_FOUR_CHANNELS = "conv1 on 4 channels";

  public ModelConfig {
    if (imageSize < 32 || imageSize % 32 != 0) {
      throw new IllegalArgumentException(
          "image size must be a positive multiple of 32 (e.g. 64, 128, 224), got " + imageSize);
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
    }
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
    }
  }

  public ModelConfig(int imageSize, int numClasses, long seed, boolean reluAfterAdd, boolean batchNorm,
      boolean conv1FourChannels) {
    this(imageSize, numClasses, seed, reluAfterAdd, batchNorm, conv1FourChannels, 1f);
  }

  public ModelConfig(int imageSize, int numClasses, long seed, boolean reluAfterAdd, boolean batchNorm) {
    this(imageSize, numClasses, seed, reluAfterAdd, batchNorm, false);
  }

  public ModelConfig(int imageSize, int numClasses, long seed) {
    this(imageSize, numClasses, seed, false, false);
  }

  public ModelConfig(int imageSize, int numClasses, long seed, boolean reluAfterAdd) {
    this(imageSize, numClasses, seed, reluAfterAdd, false);
  }

  /** The model a checkpoint's {@link #variant()} string names. */
  public static ModelConfig ofVariant(String variant, int imageSize, int numClasses, long seed) {
    String v = variant == null ? "" : variant;
    return new ModelConfig(imageSize, numClasses, seed, v.contains("-relu-after-add"), v.contains("-bn"));
  }

  /** The same model with conv1 computed on 4 channels or on 3. */
  public ModelConfig withConv1FourChannels(boolean on) {
    return new ModelConfig(imageSize, numClasses, seed, reluAfterAdd, batchNorm, on, temperature);
  }

  /** The same model with its probabilities at another temperature. */
  public ModelConfig withTemperature(float t) {
    return new ModelConfig(imageSize, numClasses, seed, reluAfterAdd, batchNorm, conv1FourChannels, t);
  }

  /** The name recorded in checkpoints, so a checkpoint of one variant never loads into another. */
  public String variant() {
    return "resnet107" + (reluAfterAdd ? "-relu-after-add" : "") + (batchNorm ? "-bn" : "");
  }
}
