package flowers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

class TrainingGraphTest {

  @Test
  void everyConvKernelGetsAGradientAndTheFirstLossIsNearChance() {
    TinyData data = new TinyData(20, 32, 20, 7);
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, new ModelConfig(32, 20, 42), TrainingGraph.Options.NONE);
      try (Session s = new Session(g);
          TFloat32 x = data.imagesTensor();
          var y = data.labelsTensor()) {
        Session.Runner r = s.runner().feed(t.images, x).feed(t.labels, y).fetch(t.loss);
        List<Integer> kernelIndices = new ArrayList<>();
        for (int i = 0; i < t.net.variables().size(); i++) {
          if (t.net.convKernels().contains(t.net.variables().get(i))) {
            kernelIndices.add(i);
            r.fetch(t.gradients.get(i));
          }
        }
        assertEquals(107, kernelIndices.size());
        try (Result out = r.run()) {
          float loss = ((TFloat32) out.get(0)).getFloat();
          assertEquals(Math.log(20), loss, 1.0, "initial loss " + loss);
          for (int k = 0; k < kernelIndices.size(); k++) {
            TFloat32 grad = (TFloat32) out.get(k + 1);
            double sumAbs = sumAbs(grad);
            String name = t.net.variables().get(kernelIndices.get(k)).op().name();
            assertTrue(sumAbs > 0, "no gradient reaches " + name);
          }
        }
      }
    }
  }

  @Test
  void lossFallsOnATinySet() {
    TinyData data = new TinyData(16, 32, 4, 3);
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, new ModelConfig(32, 4, 42), TrainingGraph.Options.NONE);
      try (Session s = new Session(g);
          TFloat32 x = data.imagesTensor();
          var y = data.labelsTensor();
          TFloat32 lr = TFloat32.scalarOf(1e-3f)) {
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 15; step++) {
          try (Result out =
              s.runner()
                  .feed(t.images, x)
                  .feed(t.labels, y)
                  .feed(t.learningRate, lr)
                  .addTarget(t.trainOp)
                  .fetch(t.loss)
                  .run()) {
            float loss = ((TFloat32) out.get(0)).getFloat();
            if (step == 0) first = loss;
            last = loss;
            System.out.printf("step %d loss %.4f%n", step, loss);
          }
        }
        assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
      }
    }
  }

  /**
   * AdamW: one step with decoupled decay moves every kernel by Adam's own update plus −lr·decay·w,
   * and leaves biases as plain Adam does.
   */
  @Test
  void decoupledWeightDecayShrinksKernelsBesideAdamsUpdate() {
    TinyData data = new TinyData(8, 32, 4, 3);
    float lr = 1e-2f;
    float decay = 0.5f;
    String kernel = "resnet1/c1/w";
    String bias = "resnet1/c1/b";
    float[][] before = new float[2][];
    float[][] after = new float[2][];
    float[][] biasAfter = new float[2][];
    TrainingGraph.Options[] options = {TrainingGraph.Options.NONE, new TrainingGraph.Options(0f, decay, true)};
    for (int i = 0; i < 2; i++) {
      try (Graph g = new Graph()) {
        TrainingGraph t = TrainingGraph.build(g, new ModelConfig(32, 4, 42), options[i]);
        try (Session s = new Session(g);
            TFloat32 x = data.imagesTensor();
            var y = data.labelsTensor();
            TFloat32 rate = TFloat32.scalarOf(lr)) {
          s.initialize();
          before[i] = values(s, kernel);
          try (Result r = s.runner().feed(t.images, x).feed(t.labels, y).feed(t.learningRate, rate)
              .addTarget(t.trainOp).run()) {
            // one step
          }
          after[i] = values(s, kernel);
          biasAfter[i] = values(s, bias);
        }
      }
    }
    assertArrayEquals(before[0], before[1]);
    assertArrayEquals(biasAfter[0], biasAfter[1], 1e-7f, "biases are not decayed");
    for (int j = 0; j < after[0].length; j++) {
      float expected = after[0][j] - lr * decay * before[0][j];
      assertEquals(expected, after[1][j], 1e-6f + 1e-5f * Math.abs(expected), "weight " + j);
    }
  }

  /** The averages follow a ← d·a + (1−d)·w with the warm-up decay, and swapping in and out is exact. */
  @Test
  void weightAveragesFollowTheWeightsAndSwapExactly() {
    TinyData data = new TinyData(8, 32, 4, 3);
    float decay = 0.9f;
    String w = "resnet1/c1/w";
    String a = flowers.model.Names.average(w);
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, new ModelConfig(32, 4, 42), new TrainingGraph.Options(0f, 0f, false, decay));
      try (Session s = new Session(g);
          TFloat32 x = data.imagesTensor();
          var y = data.labelsTensor();
          TFloat32 rate = TFloat32.scalarOf(1e-2f)) {
        s.initialize();
        s.runner().addTarget(t.ema.reset).run();
        float[] expected = values(s, w);
        assertArrayEquals(expected, values(s, a));
        for (int step = 0; step < 3; step++) {
          try (Result r = s.runner().feed(t.images, x).feed(t.labels, y).feed(t.learningRate, rate)
              .addTarget(t.trainOp).run()) {
            // one step
          }
          float d = Math.min(decay, (1f + step) / (10f + step));
          float[] weights = values(s, w);
          for (int j = 0; j < expected.length; j++) {
            expected[j] = d * expected[j] + (1 - d) * weights[j];
          }
        }
        float[] raw = values(s, w);
        float[] average = values(s, a);
        assertArrayEquals(expected, average, 1e-6f);
        assertTrue(!java.util.Arrays.equals(raw, average), "the average lags the weights");
        s.runner().addTarget(t.ema.swapIn).run();
        assertArrayEquals(average, values(s, w));
        s.runner().addTarget(t.ema.swapOut).run();
        assertArrayEquals(raw, values(s, w));
      }
    }
  }

  private static float[] values(Session s, String variable) {
    try (Result r = s.runner().fetch(variable).run()) {
      return flowers.tf.Tensors.toArray((TFloat32) r.get(0));
    }
  }

  static double sumAbs(TFloat32 t) {
    double[] acc = {0};
    t.scalars().forEach(f -> acc[0] += Math.abs(f.getFloat()));
    return acc[0];
  }
}
