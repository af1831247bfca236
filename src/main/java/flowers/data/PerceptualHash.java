package flowers.data;

/**
 * The difference hash (dHash): an image shrunk to a 9×8 greyscale thumbnail, one bit per pair of
 * horizontal neighbours (is the right one brighter?). Re-encoding, resizing and a slight crop keep
 * almost every bit; two different photos agree on about half of them.
 */
public final class PerceptualHash {
  private PerceptualHash() {}

  public static final int WIDTH = 9;
  public static final int HEIGHT = 8;

  /**
   * Two images whose hashes differ in at most this many of 64 bits are near duplicates. Measured
   * ({@code flowers.tools.NearDuplicateBound}, README "Check your data first"): copies re-encoded,
   * resized to half or slightly cropped stay at or below it, different colour pictures lie above
   * it. Small grey low-detail pictures do not (thousands of pairs of different 28 px garments lie
   * within it), so a match is only a candidate that {@link Thumbnail} confirms.
   */
  public static final int MAX_DISTANCE = 7;

  /** The hash of a row-major {@code [8][9]} greyscale thumbnail. */
  public static long of(float[] grey) {
    if (grey.length != WIDTH * HEIGHT) {
      throw new IllegalArgumentException("a dHash needs a 9x8 thumbnail, got " + grey.length + " values");
    }
    long bits = 0;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH - 1; x++) {
        bits = bits << 1 | (grey[y * WIDTH + x + 1] > grey[y * WIDTH + x] ? 1 : 0);
      }
    }
    return bits;
  }

  /** Grey levels (of 255) by which two neighbours must differ to count as an edge. */
  static final float EDGE = 2;

  /**
   * A picture with fewer edges than this among its 64 neighbour pairs is flat (a blank page, a
   * solid colour, an empty sky): its bits are ties or noise, and any two flat pictures would look
   * alike, so it is compared by its bytes only. The synthetic flowers have 20 or more.
   */
  public static final int MIN_EDGES = 8;

  /** How many neighbour pairs differ by more than {@link #EDGE} grey levels. */
  public static int edges(float[] grey) {
    int n = 0;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH - 1; x++) {
        n += Math.abs(grey[y * WIDTH + x + 1] - grey[y * WIDTH + x]) > EDGE ? 1 : 0;
      }
    }
    return n;
  }

  public static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  public static boolean near(long a, long b) {
    return distance(a, b) <= MAX_DISTANCE;
  }

  /**
   * Turns a thumbnail of the stored pixels upright per its EXIF orientation (1–8). For 5–8 the
   * stored thumbnail is {@code h} wide and {@code w} tall, so the result is {@code w}×{@code h}.
   *
   * @param w width of the upright result
   * @param h height of the upright result
   */
  static float[] upright(float[] stored, int orientation, int w, int h) {
    if (orientation <= 1 || orientation > 8) {
      return stored;
    }
    boolean turned = orientation >= 5;
    int storedW = turned ? h : w;
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        long from = Orientation.source(orientation, x, y, w, h);
        out[y * w + x] = stored[(int) from * storedW + (int) (from >>> 32)];
      }
    }
    return out;
  }
}
