package flowers.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The decision rule on known vectors; the network-level checks are in {@code MixedPrecisionTest}. */
class Bf16CheckTest {

  private static final float[] G = {0.3f, -1.2f, 0.05f, 2.0f, -0.7f};

  private static float[] map(float[] v, java.util.function.DoubleUnaryOperator f) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) f.applyAsDouble(v[i]);
    }
    return out;
  }

  @Test
  void aGradientWithBf16SizedNoiseIsAccepted() {
    java.util.Random r = new java.util.Random(1);
    float[] noisy = map(G, x -> x * (1 + 0.3 * r.nextGaussian()));
    assertTrue(Bf16Check.Agreement.of(noisy, G).acceptable());
    assertTrue(Bf16Check.Agreement.of(G, G).acceptable());
  }

  @Test
  void wrongGradientsAreRejected() {
    assertFalse(Bf16Check.Agreement.of(map(G, x -> -x), G).acceptable(), "pointing the other way");
    assertFalse(Bf16Check.Agreement.of(map(G, x -> 0), G).acceptable(), "vanished");
    assertFalse(Bf16Check.Agreement.of(map(G, x -> 6 * x), G).acceptable(), "six times too large");
    assertFalse(Bf16Check.Agreement.of(map(G, x -> x / 3), G).acceptable(), "three times too small");
    float[] e = {1.2f, 0.3f, 0f, 0f, 0f};
    float[] orthogonal = {-0.3f, 1.2f, 0f, 0f, 0f};
    assertFalse(Bf16Check.Agreement.of(orthogonal, e).acceptable(), "unrelated");
    assertFalse(Bf16Check.Agreement.of(map(G, x -> Double.NaN), G).acceptable(), "NaN");
  }

  @Test
  void aGradientThatIsZeroInFp32IsNotJudged() {
    float[] zero = new float[5];
    assertTrue(Bf16Check.Agreement.of(G, zero).acceptable());
    assertFalse(Bf16Check.Agreement.of(map(G, x -> Double.POSITIVE_INFINITY), zero).acceptable());
  }

  @Test
  void relativeErrorIsNaNOnNaNAndZeroOnEqual() {
    assertEquals(0, Closeness.relativeError(G, G));
    assertTrue(Double.isNaN(Closeness.relativeError(map(G, x -> Double.NaN), G)));
    assertEquals(1.0, Closeness.relativeError(new float[5], G), 1e-9);
  }

  @Test
  void theVerdictLineSaysWhatWasDecided() {
    var ok = new Bf16Check.Verdict(true, 0.0123, 0.97, 1.01, "conv1-64/w", null, 0, 0, 0.4);
    assertEquals("bf16 verified on this CPU: logit error 0.0123, lowest gradient cosine 0.970 (conv1-64/w) (0.4 s check)",
        ok.line());
    var bad = new Bf16Check.Verdict(false, 3.2, 1, 1, null, "conv1-64", 37, 6, 0.4);
    assertEquals("bf16 computes wrong results on this CPU (conv1-64: off by 37.0 where fp32 values reach 6.00)",
        bad.line());
  }

  @Test
  void probeImagesAreDeterministicPixelValues() {
    float[] a = Bf16Check.probeImages(2, 32);
    assertEquals(2 * 32 * 32 * 3, a.length);
    assertEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(Bf16Check.probeImages(2, 32)));
    for (float v : a) {
      assertTrue(v >= 0 && v <= 255);
    }
  }
}
