package flowers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RejectionTest {

  /** Two classes: row i is {p, 1-p}, i.e. class 0 with top probability p when p > 0.5. */
  static float[] rows(double... p) {
    float[] out = new float[2 * p.length];
    for (int i = 0; i < p.length; i++) {
      out[2 * i] = (float) p[i];
      out[2 * i + 1] = (float) (1 - p[i]);
    }
    return out;
  }

  @Test
  void autoThresholdKeepsNinetyFivePercentOfTheRightAnswers() {
    // 20 right answers with top probabilities 0.60, 0.62, …, 0.98: 5 % of 20 = 1 may fall below,
    // so the threshold is the second smallest, 0.62.
    double[] p = new double[20];
    for (int i = 0; i < 20; i++) {
      p[i] = 0.60 + 0.02 * (19 - i);
    }
    int[] labels = new int[20];
    assertEquals(0.62, Rejection.autoThreshold(rows(p), labels, 2), 1e-6);
  }

  @Test
  void autoThresholdIgnoresMistakes() {
    // Three right answers (0.9, 0.8, 0.7) and two confident mistakes: 5 % of 3 rounds down to 0,
    // so every right answer stays accepted and the threshold is the smallest of them.
    float[] p = rows(0.9, 0.8, 0.7, 0.99, 0.55);
    int[] labels = {0, 0, 0, 1, 1};
    assertEquals(0.7, Rejection.autoThreshold(p, labels, 2), 1e-6);
    int[] kept = {0, 0, 0};
    double t = Rejection.autoThreshold(rows(0.9, 0.8, 0.7), kept, 2);
    assertEquals(0, Rejection.share(new double[] {0.9, 0.8, 0.7}, t), "no right answer rejected");
  }

  @Test
  void autoThresholdOfHundredRightAnswersRejectsFive() {
    double[] p = new double[100];
    for (int i = 0; i < 100; i++) {
      p[i] = 0.5 + 0.005 * i + 0.001;
    }
    double t = Rejection.autoThreshold(rows(p), new int[100], 2);
    double[] top = Rejection.maxProbabilities(rows(p), 2);
    assertEquals(0.05, Rejection.share(top, t), 1e-12);
  }

  @Test
  void noRightAnswerMeansNoThreshold() {
    assertTrue(Double.isNaN(Rejection.autoThreshold(rows(0.9, 0.8), new int[] {1, 1}, 2)));
    assertTrue(Double.isNaN(Rejection.autoThreshold(new float[0], new int[0], 2)));
  }

  @Test
  void aurocIsOneWhenSeparatedZeroWhenReversedAndHalfForTies() {
    double[] high = {0.9, 0.8, 0.95};
    double[] low = {0.1, 0.3, 0.2, 0.5};
    assertEquals(1.0, Rejection.auroc(high, low), 1e-12);
    assertEquals(0.0, Rejection.auroc(low, high), 1e-12);
    assertEquals(0.5, Rejection.auroc(new double[] {0.4, 0.4}, new double[] {0.4}), 1e-12);
    // One of the 2 × 2 pairs is a tie, one a win, two losses... spelled out: 0.7 > 0.6, 0.7 = 0.7,
    // 0.5 < 0.6, 0.5 < 0.7 → (1 + 0.5) / 4.
    assertEquals(0.375, Rejection.auroc(new double[] {0.7, 0.5}, new double[] {0.6, 0.7}), 1e-12);
    assertTrue(Double.isNaN(Rejection.auroc(new double[0], low)));
  }

  @Test
  void aurocOfScoresFromOneDistributionIsAboutHalf() {
    Random r = new Random(7);
    double[] a = new double[4000];
    double[] b = new double[4000];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextDouble();
      b[i] = r.nextDouble();
    }
    assertEquals(0.5, Rejection.auroc(a, b), 0.02);
  }
}
