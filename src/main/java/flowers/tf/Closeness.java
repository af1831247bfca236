package flowers.tf;

/** How far one float vector is from another: the comparisons the precision check and the tests make. */
public final class Closeness {
  private Closeness() {}

  /** ‖a − e‖ / ‖e‖; NaN when a holds a NaN (and then never ≤ a threshold). */
  public static double relativeError(float[] a, float[] e) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < e.length; i++) {
      double d = (double) a[i] - e[i];
      diff += d * d;
      norm += (double) e[i] * e[i];
    }
    if (Double.isNaN(diff) || Double.isInfinite(diff)) {
      return Double.NaN;
    }
    return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
  }

  /** The largest |a − e|; NaN when any difference is. */
  public static double maxDifference(float[] a, float[] e) {
    double m = 0;
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs((double) a[i] - e[i]);
      m = Double.isNaN(d) ? Double.NaN : Math.max(m, d);
    }
    return m;
  }

  public static double maxAbs(float[] e) {
    double m = 0;
    for (float v : e) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
