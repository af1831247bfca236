package flowers.eval;

/** Rows of a {@code [n, classes]} row-major array of scores (logits or probabilities). */
final class Rows {
  private Rows() {}

  /** The class with the highest score in the row at {@code offset}; the lowest id on a tie. */
  static int argMax(float[] scores, int offset, int classes) {
    int best = 0;
    for (int j = 1; j < classes; j++) {
      if (scores[offset + j] > scores[offset + best]) {
        best = j;
      }
    }
    return best;
  }
}
