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
 */
public record ModelConfig(int imageSize, int numClasses, long seed, boolean reluAfterAdd, boolean batchNorm) {

  public static final int DEFAULT_IMAGE_SIZE = 224;

  public ModelConfig {
    if (imageSize < 32 || imageSize % 32 != 0) {
      throw new IllegalArgumentException(
          "image size must be a positive multiple of 32 (e.g. 64, 128, 224), got " + imageSize);
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
    }
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

  /** The name recorded in checkpoints, so a checkpoint of one variant never loads into another. */
  public String variant() {
    return "resnet107" + (reluAfterAdd ? "-relu-after-add" : "") + (batchNorm ? "-bn" : "");
  }
}
