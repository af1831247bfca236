package flowers.eval;

/**
 * Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): one scalar T,
 * fitted on held-out logits by minimising the negative log-likelihood, that turns softmax(z) into
 * softmax(z / T). Dividing every logit by one positive number changes no argmax, so accuracy is
 * untouched; only how much the probabilities claim changes.
 */
public final class Calibration {
  private Calibration() {}

  /** Number of equal-width confidence bins of the expected calibration error, as in Guo et al. */
  public static final int ECE_BINS = 15;

  /** The search range of T: beyond it a model is so far off that no single scalar helps. */
  static final double MIN_TEMPERATURE = 0.05;
  static final double MAX_TEMPERATURE = 20;

  /**
   * @param logits {@code [n, classes]} row-major
   * @param labels {@code [n]} true class ids
   * @return the T in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}] minimising the mean NLL;
   *     1 when there is nothing to fit on: no images, or no mistake among them (then the NLL only
   *     falls as T → 0, and a fit would make every answer certain)
   */
  public static double fitTemperature(float[] logits, int[] labels, int classes) {
    if (labels.length == 0 || noMistake(logits, labels, classes)) {
      return 1;
    }
    // The NLL is convex in 1/T, so it is unimodal in log T: a golden-section search finds the minimum.
    double lo = Math.log(MIN_TEMPERATURE);
    double hi = Math.log(MAX_TEMPERATURE);
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = nll(logits, labels, classes, Math.exp(a));
    double fb = nll(logits, labels, classes, Math.exp(b));
    for (int i = 0; i < 80 && hi - lo > 1e-7; i++) {
      if (fa <= fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = nll(logits, labels, classes, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = nll(logits, labels, classes, Math.exp(b));
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  private static boolean noMistake(float[] logits, int[] labels, int classes) {
    for (int i = 0; i < labels.length; i++) {
      if (Rows.argMax(logits, i * classes, classes) != labels[i]) {
        return false;
      }
    }
    return true;
  }

  /** Mean negative log-likelihood of the labels under softmax(logits / t). */
  public static double nll(float[] logits, int[] labels, int classes, double t) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      int o = i * classes;
      sum += logSumExp(logits, o, classes, t) - logits[o + labels[i]] / t;
    }
    return sum / labels.length;
  }

  /** softmax(logits / t), row by row. */
  public static float[] probabilities(float[] logits, int classes, double t) {
    float[] p = new float[logits.length];
    for (int o = 0; o < logits.length; o += classes) {
      double lse = logSumExp(logits, o, classes, t);
      for (int j = 0; j < classes; j++) {
        p[o + j] = (float) Math.exp(logits[o + j] / t - lse);
      }
    }
    return p;
  }

  /** log Σ exp(z / t) over one row, shifted by its maximum so that no exp overflows. */
  private static double logSumExp(float[] logits, int offset, int classes, double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < classes; j++) {
      max = Math.max(max, logits[offset + j] / t);
    }
    double z = 0;
    for (int j = 0; j < classes; j++) {
      z += Math.exp(logits[offset + j] / t - max);
    }
    return max + Math.log(z);
  }

  /**
   * The reliability diagram's data: per confidence bin, how many images, their mean top probability
   * and the share of them classified right. A calibrated model has accuracy ≈ confidence in every bin.
   */
  public record Reliability(int[] count, double[] confidence, double[] accuracy) {}

  /** {@link Reliability} over {@value #ECE_BINS} equal-width bins of the top probability. */
  public static Reliability reliability(float[] probabilities, int[] labels, int classes) {
    int[] count = new int[ECE_BINS];
    double[] confidence = new double[ECE_BINS];
    double[] accuracy = new double[ECE_BINS];
    for (int i = 0; i < labels.length; i++) {
      int o = i * classes;
      int best = Rows.argMax(probabilities, o, classes);
      double p = probabilities[o + best];
      int bin = Math.min(ECE_BINS - 1, (int) (p * ECE_BINS));
      count[bin]++;
      confidence[bin] += p;
      accuracy[bin] += best == labels[i] ? 1 : 0;
    }
    for (int b = 0; b < ECE_BINS; b++) {
      if (count[b] > 0) {
        confidence[b] /= count[b];
        accuracy[b] /= count[b];
      }
    }
    return new Reliability(count, confidence, accuracy);
  }

  /**
   * Expected calibration error: over {@value #ECE_BINS} equal-width bins of the top probability,
   * the image-weighted mean of |accuracy − mean confidence|. 0 is perfectly calibrated.
   */
  public static double expectedCalibrationError(float[] probabilities, int[] labels, int classes) {
    if (labels.length == 0) {
      return Double.NaN;
    }
    Reliability r = reliability(probabilities, labels, classes);
    double ece = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      ece += (double) r.count()[b] / labels.length * Math.abs(r.accuracy()[b] - r.confidence()[b]);
    }
    return ece;
  }

}
