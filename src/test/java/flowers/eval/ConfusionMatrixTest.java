package flowers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Precision and recall against values worked out by hand from a small matrix. */
class ConfusionMatrixTest {
  static final double EPS = 1e-12;

  /** One example of class {@code truth} whose highest score is {@code predicted}. */
  static void add(ConfusionMatrix cm, int truth, int predicted, int times) {
    float[] scores = {0.1f, 0.1f, 0.1f, 0.1f};
    scores[predicted] = 0.7f;
    for (int i = 0; i < times; i++) {
      cm.add(truth, scores, 0);
    }
  }

  @Test
  void precisionAndRecallAreTheHandComputedOnes() {
    // Rows = true class, columns = predicted:
    //        a  b  c  d
    //   a    3  1  0  0     recall a = 3/4
    //   b    2  2  0  0     recall b = 2/4
    //   c    0  1  1  0     recall c = 1/2
    //   d    0  0  0  0     no image of d, never predicted
    // precision: a = 3/(3+2), b = 2/(1+2+1), c = 1/1, d = 0 (nothing predicted)
    ConfusionMatrix cm = new ConfusionMatrix(List.of("a", "b", "c", "d"));
    add(cm, 0, 0, 3);
    add(cm, 0, 1, 1);
    add(cm, 1, 1, 2);
    add(cm, 1, 0, 2);
    add(cm, 2, 2, 1);
    add(cm, 2, 1, 1);
    assertArrayEquals(new long[][] {{3, 1, 0, 0}, {2, 2, 0, 0}, {0, 1, 1, 0}, {0, 0, 0, 0}}, cm.counts());
    Map<String, ConfusionMatrix.ClassMetrics> m = cm.perClass();
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(m.keySet()));
    check(m.get("a"), 0.6, 0.75, 4);
    check(m.get("b"), 0.5, 0.5, 4);
    check(m.get("c"), 1.0, 0.5, 2);
    check(m.get("d"), 0.0, 0.0, 0);
    assertEquals(10, cm.total());
    assertEquals(0.6, cm.top1(), EPS);
    // The mean over the classes with images: (3/4 + 2/4 + 1/2) / 3, d left out.
    assertEquals(1.75 / 3, cm.macroRecall(), EPS);
    assertEquals(1.0, cm.top5(), EPS, "4 classes: the truth is always among the top 5");
  }

  static void check(ConfusionMatrix.ClassMetrics m, double precision, double recall, long support) {
    assertEquals(precision, m.precision(), EPS, "precision");
    assertEquals(recall, m.recall(), EPS, "recall");
    assertEquals(support, m.support(), "support");
  }

  @Test
  void nothingEvaluatedIsNaNNotZero() {
    ConfusionMatrix cm = new ConfusionMatrix(List.of("a", "b"));
    assertEquals(Double.NaN, cm.top1());
    assertEquals(Double.NaN, cm.macroRecall());
  }
}
