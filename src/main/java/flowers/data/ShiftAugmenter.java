package flowers.data;

import java.util.Random;

/**
 * Random horizontal flip and a random shift of up to {@code maxShift} of the side, the gap filled
 * by repeating the edge: the "pad and crop" of small-image training (CIFAR's 4 px at 32 px). Unlike
 * a resized crop it keeps every pixel's scale, which matters when an image has few pixels to lose.
 *
 * @param maxShift largest shift as a share of the image side, in each direction
 */
public record ShiftAugmenter(boolean flip, float maxShift) implements Augmenter {

  public ShiftAugmenter {
    if (maxShift < 0 || maxShift >= 0.5f) {
      throw new IllegalArgumentException("maxShift must be in [0, 0.5), got " + maxShift);
    }
  }

  /** Flip, and shifts of up to 1/8 of the side (4 px at 32 px). */
  public static ShiftAugmenter defaults() {
    return new ShiftAugmenter(true, 0.125f);
  }

  @Override
  public void apply(float[] img, int offset, int s, Random rnd) {
    int max = Math.round(maxShift * s);
    int dx = max == 0 ? 0 : rnd.nextInt(2 * max + 1) - max;
    int dy = max == 0 ? 0 : rnd.nextInt(2 * max + 1) - max;
    boolean mirror = flip && rnd.nextBoolean();
    if (dx == 0 && dy == 0 && !mirror) {
      return;
    }
    float[] src = new float[s * s * 3];
    System.arraycopy(img, offset, src, 0, src.length);
    for (int y = 0; y < s; y++) {
      int sy = Math.min(s - 1, Math.max(0, y + dy));
      for (int x = 0; x < s; x++) {
        int sx = Math.min(s - 1, Math.max(0, x + dx));
        if (mirror) {
          sx = s - 1 - sx;
        }
        System.arraycopy(src, (sy * s + sx) * 3, img, offset + (y * s + x) * 3, 3);
      }
    }
  }
}
