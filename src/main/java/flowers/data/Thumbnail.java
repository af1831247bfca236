package flowers.data;

import java.util.Base64;

/**
 * A 16×16 greyscale thumbnail (area-averaged, upright), kept in the fingerprint as 256 grey levels,
 * and the finer test that confirms a near duplicate the 64-bit dHash proposes.
 *
 * <p>Why a second test: a dHash compares neighbours, and a small, grey, low-detail picture (a
 * 28 px garment on black) has few neighbours that differ clearly, so different pictures of one
 * silhouette share most bits: in 1,800 Fashion-MNIST photos 21,184 pairs of different pictures lie
 * within the dHash bound. Why grey levels and not a correlation: a correlation ignores brightness
 * and contrast, and two different trousers correlate at 0.995, closer than a flower cropped by 3 %
 * to itself (0.86). Measured with {@code flowers.tools.NearDuplicateConfirm}; README "Check your
 * data first".
 */
public final class Thumbnail {
  private Thumbnail() {}

  public static final int SIDE = 16;

  /**
   * Two thumbnails that differ by at most this many grey levels (of 255, see {@link #difference})
   * confirm a dHash match. Measured: of the 21,184 pairs of different Fashion-MNIST photos the
   * dHash calls near none is within 5 (the closest two at 5.8 and 6.0); of the re-encoded, PNG and
   * resized copies of 64 and 224 px synthetic flowers that the dHash finds it confirms every one,
   * of those cropped by 2 % on each side all but 1 %, by 3 % all but 2–4 %.
   */
  public static final double MAX_DIFFERENCE = 5;

  /** 256 grey levels, rounded to bytes, as Base64: 344 characters in the fingerprint cache. */
  public static String encode(float[] grey) {
    byte[] b = new byte[grey.length];
    for (int i = 0; i < grey.length; i++) {
      b[i] = (byte) Math.max(0, Math.min(255, Math.round(grey[i])));
    }
    return Base64.getEncoder().encodeToString(b);
  }

  public static float[] decode(String thumb) {
    byte[] b = Base64.getDecoder().decode(thumb);
    float[] grey = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      grey[i] = b[i] & 0xFF;
    }
    return grey;
  }

  /**
   * The root mean square, over the pixels of each square thumbnail, of the smallest difference to
   * a pixel of the other's 3×3 neighbourhood; the larger of the two ways. A slight crop or resize
   * moves content by up to one thumbnail pixel, which the neighbourhood forgives; a different
   * picture of the same outline still differs in brightness and inner detail, which it does not.
   */
  public static double difference(float[] a, float[] b) {
    return Math.max(oneWay(a, b), oneWay(b, a));
  }

  private static double oneWay(float[] a, float[] b) {
    int n = (int) Math.round(Math.sqrt(a.length));
    double sum = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        double best = Double.MAX_VALUE;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(n - 1, y + 1); yy++) {
          for (int xx = Math.max(0, x - 1); xx <= Math.min(n - 1, x + 1); xx++) {
            best = Math.min(best, Math.abs(a[y * n + x] - b[yy * n + xx]));
          }
        }
        sum += best * best;
      }
    }
    return Math.sqrt(sum / a.length);
  }
}
