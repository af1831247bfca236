package flowers.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code --sampling}: which training images an epoch is made of. {@code uniform}: every image once,
 * shuffled. {@code balanced}: as many draws as there are images, shared equally between the classes
 * (±1), each class's images drawn in a fresh shuffled order and repeated only when the class has
 * fewer images than draws; so a small class is seen as often as a large one, with its images
 * repeated (under different augmentations), and a large one is seen in part, a different part
 * every epoch. The order is fixed by (seed, epoch), like the uniform one, so a resumed run goes on
 * at the right image.
 */
public enum Sampling {
  UNIFORM, BALANCED;

  public static Sampling parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("--sampling must be uniform or balanced, got '" + s + "'");
    }
  }

  /** "sampling (balanced): each of 5 classes about 60 times an epoch, from 12 to 120 images". */
  public static String describe(List<LabeledImage> train, int classes) {
    int[] count = new int[classes];
    train.forEach(i -> count[i.label()]++);
    int[] present = Arrays.stream(count).filter(c -> c > 0).sorted().toArray();
    if (present.length == 0) {
      return "sampling (balanced): no training images";
    }
    return String.format("sampling (balanced): each of %d classes about %d times an epoch, from %d to %d images",
        present.length, train.size() / present.length, present[0], present[present.length - 1]);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
