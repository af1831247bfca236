package flowers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  /** Labels drawn from softmax(z / trueT): a model whose logits are off by exactly trueT. */
  private static int[] labelsFrom(float[] logits, int classes, double trueT, Random rnd) {
    float[] p = Calibration.probabilities(logits, classes, trueT);
    int[] labels = new int[logits.length / classes];
    for (int i = 0; i < labels.length; i++) {
      double u = rnd.nextDouble();
      double cumulative = 0;
      int label = classes - 1;
      for (int j = 0; j < classes; j++) {
        cumulative += p[i * classes + j];
        if (u < cumulative) {
          label = j;
          break;
        }
      }
      labels[i] = label;
    }
    return labels;
  }

  private static float[] randomLogits(int n, int classes, Random rnd) {
    float[] z = new float[n * classes];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (rnd.nextGaussian() * 4);
    }
    return z;
  }

  @Test
  void recoversAKnownTemperature() {
    Random rnd = new Random(3);
    for (double trueT : new double[] {0.5, 1.0, 2.5}) {
      float[] z = randomLogits(20_000, 10, rnd);
      int[] labels = labelsFrom(z, 10, trueT, rnd);
      double t = Calibration.fitTemperature(z, labels, 10);
      assertEquals(trueT, t, 0.05 * trueT, "fitted " + t + " for " + trueT);
    }
  }

  @Test
  void calibrationLowersTheErrorOfAnOverconfidentModelAndChangesNoArgmax() {
    Random rnd = new Random(5);
    float[] z = randomLogits(5_000, 10, rnd);
    int[] labels = labelsFrom(z, 10, 3.0, rnd); // the model claims 3× too much
    double t = Calibration.fitTemperature(z, labels, 10);
    float[] raw = Calibration.probabilities(z, 10, 1);
    float[] calibrated = Calibration.probabilities(z, 10, t);
    double before = Calibration.expectedCalibrationError(raw, labels, 10);
    double after = Calibration.expectedCalibrationError(calibrated, labels, 10);
    assertTrue(after < before / 3, "ECE " + before + " -> " + after);
    for (int i = 0; i < labels.length; i++) {
      assertEquals(argMax(raw, i * 10, 10), argMax(calibrated, i * 10, 10));
    }
  }

  @Test
  void eceIsTheConfidenceGap() {
    // Two images at confidence 1.0, both right: no gap.
    assertEquals(0, Calibration.expectedCalibrationError(new float[] {1, 0, 0, 1}, new int[] {0, 1}, 2), 1e-9);
    // Two images at confidence 0.9, one right: |0.5 - 0.9| = 0.4.
    assertEquals(0.4,
        Calibration.expectedCalibrationError(new float[] {0.9f, 0.1f, 0.1f, 0.9f}, new int[] {0, 0}, 2), 1e-6);
  }

  @Test
  void reliabilityBinsCountConfidenceAndAccuracy() {
    // 0.9 twice (one right), 0.65 once (right): bins 13 and 9 of 15.
    var r = Calibration.reliability(new float[] {0.9f, 0.1f, 0.1f, 0.9f, 0.35f, 0.65f}, new int[] {0, 0, 1}, 2);
    assertEquals(2, r.count()[13]);
    assertEquals(0.9, r.confidence()[13], 1e-6);
    assertEquals(0.5, r.accuracy()[13], 1e-9);
    assertEquals(1, r.count()[9]);
    assertEquals(1.0, r.accuracy()[9], 1e-9);
    assertEquals(3, java.util.Arrays.stream(r.count()).sum());
  }

  @Test
  void nothingToFitOnMeansNoChange() {
    assertEquals(1, Calibration.fitTemperature(new float[0], new int[0], 3));
    // Every answer right: the likelihood only grows as T shrinks; no fit, or all answers become certain.
    assertEquals(1, Calibration.fitTemperature(new float[] {2, 0, 0, 0, 3, 1}, new int[] {0, 1}, 3));
  }

  private static int argMax(float[] p, int offset, int classes) {
    int best = 0;
    for (int j = 1; j < classes; j++) {
      if (p[offset + j] > p[offset + best]) {
        best = j;
      }
    }
    return best;
  }
}
