package flowers.model;

/**
 * Operation and signature names: a contract with checkpoints, SavedModels and their clients.
 * Changing one breaks every model already trained or exported.
 */
public final class Names {
  private Names() {}

  /** Float32 {@code [-1,S,S,3]} RGB pixels in 0–255 (the graph scales them itself). */
  public static final String IMAGES = "images";
  /** Int32 {@code [-1]} class indices (training graph only). */
  public static final String LABELS = "labels";
  /** Float32 scalar fed every step, so any schedule works without rebuilding the graph. */
  public static final String LEARNING_RATE = "learning_rate";

  /** Bool scalar, default true: batch statistics (batch-norm variant only; feed false to evaluate). */
  public static final String TRAINING = "training";

  public static final String LOGITS = "logits";
  public static final String PROBABILITIES = "probabilities";
  public static final String CLASS_IDS = "class_ids";
  public static final String CLASS_NAMES = "class_names";
  /** Constant string {@code [C]}: every class name, so a SavedModel carries its own labels. */
  public static final String ALL_CLASS_NAMES = "all_class_names";
  /**
   * Bool {@code [-1]}: the top probability is at least {@link #MIN_CONFIDENCE}, i.e. the answer is
   * not "unknown"; all true when the model has no threshold.
   */
  public static final String ACCEPTED = "accepted";
  /**
   * Constant float scalar: the checkpoint's automatic "unknown" threshold on the top probability;
   * NaN when it has none.
   */
  public static final String MIN_CONFIDENCE = "min_confidence";
  /** String {@code [-1]} encoded image files (SavedModel {@code serve_image_bytes} only). */
  public static final String IMAGE_BYTES = "image_bytes";

  public static final String LOSS = "loss";
  public static final String ACCURACY = "accuracy";
  public static final String TRAIN_OP = "train_op";
  public static final String GLOBAL_STEP = "global_step";

  /** Scope of the weight averages (training option {@code --ema-decay}). */
  public static final String AVERAGE_SCOPE = "weight_average";

  /**
   * The variable holding the moving average of {@code variable}: {@code weight_average/} and the
   * name with {@code /} turned into {@code .} (TF Java names one op at a time, without slashes).
   */
  public static String average(String variable) {
    return AVERAGE_SCOPE + "/" + variable.replace('/', '.');
  }

  public static final String SERVING_DEFAULT = "serving_default";
  public static final String SERVE_IMAGE_BYTES = "serve_image_bytes";
  public static final String SERVE_TAG = "serve";
}
