package flowers.tools;

import flowers.testing.ImageCopies;

import flowers.data.Fingerprint;
import flowers.data.Fingerprinter;
import flowers.data.PerceptualHash;
import flowers.data.Thumbnail;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The measurement behind the finer test of near duplicates ({@link Thumbnail#MAX_DIFFERENCE}):
 * for each image of a folder, copies of it (re-encoded, PNG, resized, cropped) and how alike they
 * stay to the original by the 64-bit dHash, a 256-bit dHash (17×16), the correlation of 16×16
 * and 32×32 thumbnails, their plain root mean square difference and {@link Thumbnail#difference};
 * then, for every pair of different images, the same measures, over all pairs and over the pairs
 * the 64-bit dHash alone calls near (within 7 bits), and for a range of bounds on the correlation
 * and the differences how many different pairs and what share of each kind of copy they keep.
 * With {@code -Dpairs=N} it draws the N dHash-near different pairs closest by
 * {@link Thumbnail#difference}, as text, to look at.
 *
 * <p>{@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dmain.class=flowers.tools.NearDuplicateConfirm -Dexec.args="DATA_DIR [MAX_IMAGES]"}
 */
public final class NearDuplicateConfirm {

  /** What one picture gives: the 64-bit dHash, a 256-bit one, unit-length centred thumbnails. */
  record Measures(long d64, long[] d256, float[] t16, float[] t32, float[] raw16, float[] raw32) {}

  static Measures measure(Fingerprinter f, byte[] bytes) {
    Fingerprint fp = f.of(bytes);
    float[] t17 = f.thumbnail(bytes, 17, 16);
    float[] t32 = f.thumbnail(bytes, 32, 32);
    float[] t16 = Thumbnail.decode(fp.thumb());
    return new Measures(fp.dHash(), dHash256(t17), unit(t16), unit(t32), t16, t32);
  }

  static long[] dHash256(float[] g) {
    long[] bits = new long[4];
    int k = 0;
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++, k++) {
        if (g[y * 17 + x + 1] > g[y * 17 + x]) {
          bits[k / 64] |= 1L << (k % 64);
        }
      }
    }
    return bits;
  }

  static int d256(long[] a, long[] b) {
    int d = 0;
    for (int i = 0; i < 4; i++) {
      d += Long.bitCount(a[i] ^ b[i]);
    }
    return d;
  }

  /** Centred and scaled to length 1, so that a dot product is the correlation. */
  static float[] unit(float[] g) {
    double m = 0;
    for (float v : g) {
      m += v;
    }
    m /= g.length;
    double ss = 0;
    for (float v : g) {
      ss += (v - m) * (v - m);
    }
    float[] out = new float[g.length];
    double s = ss == 0 ? 0 : 1 / Math.sqrt(ss);
    for (int i = 0; i < g.length; i++) {
      out[i] = (float) ((g[i] - m) * s);
    }
    return out;
  }

  /** Root mean square difference in grey levels. */
  static double rms(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s / a.length);
  }

  /** rms of each pixel's smallest difference to the other's 3×3 neighbourhood, the larger of both ways. */
  static double tolerant(float[] a, float[] b) {
    return Math.max(oneWay(a, b), oneWay(b, a));
  }

  static double oneWay(float[] a, float[] b) {
    int n = (int) Math.round(Math.sqrt(a.length));
    double s = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        double best = Double.MAX_VALUE;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int yy = Math.max(0, Math.min(n - 1, y + dy));
            int xx = Math.max(0, Math.min(n - 1, x + dx));
            best = Math.min(best, Math.abs(a[y * n + x] - b[yy * n + xx]));
          }
        }
        s += best * best;
      }
    }
    return Math.sqrt(s / a.length);
  }

  static double[] all(Measures a, Measures b) {
    return new double[] {PerceptualHash.distance(a.d64(), b.d64()), d256(a.d256(), b.d256()), dot(a.t16(), b.t16()),
        dot(a.t32(), b.t32()), rms(a.raw16(), b.raw16()), rms(a.raw32(), b.raw32()),
        Thumbnail.difference(a.raw16(), b.raw16())};
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int max = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
    List<Path> files = ImageCopies.files(root, max);
    Map<String, List<double[]>> copies = new LinkedHashMap<>();
    Measures[] m = new Measures[files.size()];
    try (Fingerprinter f = new Fingerprinter()) {
      for (int i = 0; i < files.size(); i++) {
        byte[] bytes = Files.readAllBytes(files.get(i));
        m[i] = measure(f, bytes);
        BufferedImage img = ImageIO.read(files.get(i).toFile());
        Map<String, byte[]> variants = ImageCopies.edits(img);
        for (var v : variants.entrySet()) {
          Measures c = measure(f, v.getValue());
          copies.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(all(m[i], c));
        }
      }
    }
    System.out.printf("%d images from %s%n%n", files.size(), root);
    System.out.println("copies: min / p1 / p5 / median (dHash bits: max / p99 / p95 / median), and the share within the 64-bit bound 7");
    System.out.println("copy                  dHash64        dHash256           corr 16x16                corr 32x32         rms16 grey levels     rms32     d64<=7");
    for (var e : copies.entrySet()) {
      List<double[]> d = e.getValue();
      System.out.printf("%-20s %s  %.3f%n", e.getKey(), columns(d, TOP, BOTTOM),
          d.stream().filter(x -> x[0] <= 7).count() / (double) d.size());
    }
    List<double[]> all = new ArrayList<>();
    List<double[]> near = new ArrayList<>();
    List<int[]> nearPairs = new ArrayList<>();
    for (int i = 0; i < m.length; i++) {
      for (int j = i + 1; j < m.length; j++) {
        double[] x = all(m[i], m[j]);
        int d = (int) x[0];
        all.add(x);
        if (d <= 7) {
          near.add(x);
          nearPairs.add(new int[] {i, j});
        }
      }
    }
    System.out.println();
    System.out.println("different pairs: max / p99.9 / p99 / median (dHash bits: min / p0.1 / p1 / median)");
    System.out.printf("%-20s %s%n", "all " + all.size(), columns(all, FAR_BOTTOM, FAR_TOP));
    if (!near.isEmpty()) {
      System.out.printf("%-20s %s%n", "d64<=7 " + near.size(), columns(near, FAR_BOTTOM, FAR_TOP));
    }
    System.out.println();
    System.out.println("different pairs counted as near: by the dHash64 <= 7 and corr16 >= each of");
    for (double b : new double[] {0.80, 0.85, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99}) {
      System.out.printf("  corr16 >= %.2f: %d of %d dHash-near pairs; corr16 alone: %d; copies kept: %s%n", b,
          near.stream().filter(x -> x[2] >= b).count(), near.size(), all.stream().filter(x -> x[2] >= b).count(),
          kept(copies, b));
    }
    System.out.println("different pairs counted as near: by the dHash64 <= 7 and rms16 <= each of");
    for (double b : new double[] {2, 3, 4, 5, 6, 8, 10, 12, 15}) {
      System.out.printf("  rms16 <= %4.1f: %d of %d dHash-near pairs; rms16 alone: %d; copies kept: %s%n", b,
          near.stream().filter(x -> x[4] <= b).count(), near.size(), all.stream().filter(x -> x[4] <= b).count(),
          keptRms(copies, b));
    }
    System.out.println("different pairs counted as near: by the dHash64 <= 7 and tolerant rms16 <= each of");
    for (double b : new double[] {2, 3, 4, 5, 6, 7, 8, 10, 12}) {
      System.out.printf("  trms16 <= %4.1f: %d of %d dHash-near pairs; alone: %d; copies kept: %s; alone: %s%n", b,
          near.stream().filter(x -> x[6] <= b).count(), near.size(), all.stream().filter(x -> x[6] <= b).count(),
          keptBy(copies, 6, b, true), keptBy(copies, 6, b, false));
    }
    int show = Integer.getInteger("pairs", 0);
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < near.size(); k++) {
      order.add(k);
    }
    order.sort((a, b) -> Double.compare(near.get(a)[6], near.get(b)[6]));
    for (int k = 0; k < Math.min(show, order.size()); k++) {
      int[] p = nearPairs.get(order.get(k));
      double[] x = near.get(order.get(k));
      System.out.printf("%npair corr16 %.3f corr32 %.3f rms16 %.1f tolerant rms16 %.1f d64 %d d256 %d: %s  |  %s%n", x[2], x[3], x[4], x[6], (int) x[0], (int) x[1],
          root.relativize(files.get(p[0])), root.relativize(files.get(p[1])));
      draw(m[p[0]].raw16(), m[p[1]].raw16());
    }
  }

  static String kept(Map<String, List<double[]>> copies, double b) {
    StringBuilder s = new StringBuilder();
    for (var e : copies.entrySet()) {
      s.append(String.format("%.3f ", e.getValue().stream().filter(x -> x[0] <= 7 && x[2] >= b).count()
          / (double) e.getValue().size()));
    }
    return s.toString().trim();
  }

  static String keptRms(Map<String, List<double[]>> copies, double b) {
    StringBuilder s = new StringBuilder();
    for (var e : copies.entrySet()) {
      s.append(String.format("%.3f ", e.getValue().stream().filter(x -> x[0] <= 7 && x[4] <= b).count()
          / (double) e.getValue().size()));
    }
    return s.toString().trim();
  }

  static String keptBy(Map<String, List<double[]>> copies, int k, double b, boolean withHash) {
    StringBuilder s = new StringBuilder();
    for (var e : copies.entrySet()) {
      s.append(String.format("%.3f ", e.getValue().stream().filter(x -> (!withHash || x[0] <= 7) && x[k] <= b).count()
          / (double) e.getValue().size()));
    }
    return s.toString().trim();
  }

  /** Two 16×16 thumbnails side by side in ten shades. */
  static void draw(float[] a, float[] b) {
    String shades = " .:-=+*#%@";
    for (int y = 0; y < 16; y++) {
      StringBuilder s = new StringBuilder("  ");
      for (float[] t : new float[][] {a, b}) {
        for (int x = 0; x < 16; x++) {
          char c = shades.charAt(Math.min(9, (int) (t[y * 16 + x] / 25.6)));
          s.append(c).append(c);
        }
        s.append("   ");
      }
      System.out.println(s);
    }
  }

  static double[] sorted(List<double[]> d, int k) {
    return d.stream().mapToDouble(x -> x[k]).sorted().toArray();
  }

  static double at(double[] s, double p) {
    return s[(int) Math.min(s.length - 1, Math.floor(p * s.length))];
  }

  // Quantiles to print: a side's extreme, then towards the median.
  static final double[] TOP = {1, 0.99, 0.95, 0.5};
  static final double[] FAR_TOP = {1, 0.999, 0.99, 0.5};
  static final double[] BOTTOM = {0, 0.01, 0.05, 0.5};
  static final double[] FAR_BOTTOM = {0, 0.001, 0.01, 0.5};

  /**
   * The six measures of a set of pairs: dHash bits (64, 256) and RMS grey levels (16, 32) at
   * {@code distances}, correlations (16, 32) at {@code correlations}.
   */
  static String columns(List<double[]> d, double[] distances, double[] correlations) {
    return String.join(" ", spread(d, 0, "%3.0f", distances), spread(d, 1, "%3.0f", distances),
        spread(d, 2, "%.3f", correlations), spread(d, 3, "%.3f", correlations),
        spread(d, 4, "%5.1f", distances), spread(d, 5, "%5.1f", distances));
  }

  /** Column k's values at the quantiles qs (1 = the largest, 0 = the smallest), each in format f. */
  static String spread(List<double[]> d, int k, String f, double... qs) {
    double[] s = sorted(d, k);
    StringBuilder out = new StringBuilder();
    for (double q : qs) {
      out.append(out.length() == 0 ? "" : " ").append(String.format(f, at(s, q)));
    }
    return out.toString();
  }
}
