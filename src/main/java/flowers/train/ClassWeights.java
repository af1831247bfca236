package flowers.train;

import flowers.data.LabeledImage;
import java.util.List;
import java.util.Locale;

/**
 * {@code --class-weights}: how much each class's examples count in the loss. With {@code balanced}
 * a class of n_c of the N training images weighs N / (C·n_c), C the classes with training images
 * (scikit-learn's "balanced"): every class contributes
 * as much to the loss as it would in a balanced folder, and the average weight over the training
 * images stays 1, so the loss and the learning rate keep their scale.
 */
public enum ClassWeights {
  NONE, BALANCED;

  public static ClassWeights parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("--class-weights must be none or balanced, got '" + s + "'");
    }
  }

  /** The weight of each class given the training images, or null (every example weighs 1). */
  public float[] of(List<LabeledImage> train, int classes) {
    if (this == NONE || train.isEmpty()) {
      return null;
    }
    int[] count = new int[classes];
    train.forEach(i -> count[i.label()]++);
    long present = java.util.Arrays.stream(count).filter(c -> c > 0).count();
    float[] w = new float[classes];
    for (int k = 0; k < classes; k++) {
      // A class with no training image never meets its weight; 0 keeps the array finite.
      w[k] = count[k] == 0 ? 0f : train.size() / (float) (present * count[k]);
    }
    return w;
  }

  /** "class weights (balanced): 0.54 (daisy) to 2.46 (tulip)". */
  public static String describe(List<String> classNames, float[] w) {
    int lo = 0;
    int hi = 0;
    for (int k = 1; k < w.length; k++) {
      lo = w[k] > 0 && (w[lo] == 0 || w[k] < w[lo]) ? k : lo;
      hi = w[k] > w[hi] ? k : hi;
    }
    return String.format("class weights (balanced): %.2f (%s) to %.2f (%s)", w[lo], classNames.get(lo), w[hi],
        classNames.get(hi));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
