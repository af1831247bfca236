package flowers.eval;

import java.util.Arrays;

/**
 * When to answer "unknown": a threshold on the top (calibrated) probability, and how well that top
 * probability tells the classes trained on from other things.
 */
public final class Rejection {
  private Rejection() {}

  /**
   * Share of the correctly classified validation images that the automatic threshold still
   * accepts. The cost of a threshold that can be measured on flower photos alone is the right
   * answers it throws away; other things are never in the validation split. So the rule fixes that
   * cost at 5 % and takes the strictest threshold within it.
   */
  public static final double KEEP_CORRECT = 0.95;

  /**
   * The largest threshold t such that at least {@value #KEEP_CORRECT} of the correctly classified
   * images have a top probability ≥ t.
   *
   * @param probabilities {@code [n, classes]} calibrated probabilities, row-major
   * @param labels {@code [n]} true class ids
   * @return the threshold, or NaN when no image is classified correctly (nothing to keep)
   */
  public static double autoThreshold(float[] probabilities, int[] labels, int classes) {
    double[] correct = new double[labels.length];
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = Rows.argMax(probabilities, i * classes, classes);
      if (best == labels[i]) {
        correct[n++] = probabilities[i * classes + best];
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(correct, n);
    Arrays.sort(sorted);
    // At most floor(5 % of n) images may fall below: the one after them is the threshold.
    int rejected = (int) Math.floor((1 - KEEP_CORRECT) * n + 1e-9);
    return sorted[rejected];
  }

  /**
   * Share of the top probabilities that {@code predict} would call unknown at {@code threshold}
   * (compared in float32, as the SavedModel's {@code accepted} does); NaN for no scores.
   */
  public static double share(double[] topProbabilities, double threshold) {
    if (topProbabilities.length == 0) {
      return Double.NaN;
    }
    int below = 0;
    for (double p : topProbabilities) {
      if ((float) p < (float) threshold) {
        below++;
      }
    }
    return (double) below / topProbabilities.length;
  }

  /** The top probability of each row of {@code [n, classes]} probabilities. */
  public static double[] maxProbabilities(float[] probabilities, int classes) {
    double[] max = new double[probabilities.length / classes];
    for (int i = 0; i < max.length; i++) {
      max[i] = probabilities[i * classes + Rows.argMax(probabilities, i * classes, classes)];
    }
    return max;
  }

  /**
   * Area under the ROC curve of {@code score} separating positives from negatives: the chance that
   * a random positive scores above a random negative, ties counting half (Mann–Whitney U / n₊n₋).
   * 0.5 is no better than chance, 1 a perfect separation.
   *
   * @return NaN when either side is empty
   */
  public static double auroc(double[] positives, double[] negatives) {
    if (positives.length == 0 || negatives.length == 0) {
      return Double.NaN;
    }
    double[] neg = negatives.clone();
    Arrays.sort(neg);
    double wins = 0;
    for (double p : positives) {
      int below = lowerBound(neg, p);
      int notAbove = upperBound(neg, p);
      wins += below + 0.5 * (notAbove - below);
    }
    return wins / ((double) positives.length * negatives.length);
  }

  /** Number of values in sorted {@code a} strictly below {@code x}. */
  private static int lowerBound(double[] a, double x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Number of values in sorted {@code a} at or below {@code x}. */
  private static int upperBound(double[] a, double x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
