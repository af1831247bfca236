package flowers.train;

import flowers.tf.Closeness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import flowers.model.ModelConfig;
import flowers.tf.Bf16Check;
import flowers.tf.Device;
import flowers.tf.Precision;
import flowers.tf.PrecisionChoice;
import flowers.tf.SessionOptions;
import flowers.tf.Sessions;
import flowers.tf.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * bf16 is used only where it computes what fp32 does. These tests fail on a machine whose bf16
 * kernels are wrong unless the check catches it (as TF 2.18's 3-channel 7×7 conv on a Zen 5 VM).
 */
class MixedPrecisionTest {

  private static SessionOptions options(Precision p) {
    return new SessionOptions(0, p, Device.CPU);
  }

  /** What {@code auto} picks, on the full network at 224 px, gives fp32's logits for a photo-like image. */
  @Test
  void whatAutoPicksAt224ComputesWhatFp32Computes() {
    ModelConfig model = new ModelConfig(224, 20, 42);
    List<String> log = new ArrayList<>();
    var opened = TrainingSession.open(model, TrainingGraph.Options.NONE,
        options(Precision.cpuHasBf16() ? Precision.AUTO : Precision.FP32), Session::initialize, log::add);
    try (TrainingSession ts = opened.built()) {
      if (Precision.cpuHasBf16()) {
        assertEquals(1, log.size(), "one line says what the check decided: " + log);
      }
      float[] image = new TinyData(1, 224, 20, 5).images;
      float[] chosen = logits(ts.session(), ts.t(), image);
      float[] fp32;
      try (Session reference = Sessions.open(ts.graph(), options(Precision.FP32))) {
        reference.initialize(); // stateless seeded initialisers: the same weights
        fp32 = logits(reference, ts.t(), image);
      }
      assertTrue(Closeness.relativeError(chosen, fp32) <= 0.05,
          opened.precision() + " logits off by " + Closeness.relativeError(chosen, fp32) + "; " + log);
      assertEquals(argMax(fp32), argMax(chosen));
    }
  }

  /**
   * The rewrite that makes bf16 right where oneDNN's 3-channel 7×7 bf16 kernel is wrong: conv1 on
   * 4 channels gives fp32's conv1 output in bf16, at the full 224 px.
   */
  @Test
  void conv1OnFourChannelsIsRightInBf16() {
    assumeTrue(Precision.cpuHasBf16(), "no native bf16 on this CPU");
    ModelConfig model = new ModelConfig(224, 20, 42).withConv1FourChannels(true);
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, model, TrainingGraph.Options.NONE);
      float[] image = Bf16Check.probeImages(1, 224);
      float[][] conv1 = new float[2][];
      Precision[] precisions = {Precision.FP32, Precision.BF16};
      for (int i = 0; i < 2; i++) {
        try (Session s = Sessions.open(g, options(precisions[i]));
            TFloat32 x = Tensors.images(image, 1, 224)) {
          s.initialize();
          try (Result r = s.runner().feed(t.images, x).fetch("conv1-64/Relu").run()) {
            conv1[i] = Tensors.toArray((TFloat32) r.get(0));
          }
        }
      }
      assertTrue(Closeness.relativeError(conv1[1], conv1[0]) <= Bf16Check.MAX_OUTPUT_ERROR,
          "conv1-64 in bf16 off by " + Closeness.relativeError(conv1[1], conv1[0]));
    }
  }

  /** The rewrite is exact in fp32 and changes no variable: checkpoints load either way. */
  @Test
  void conv1OnFourChannelsIsExactAndKeepsTheVariables() {
    ModelConfig plain = new ModelConfig(32, 5, 42);
    float[] image = new TinyData(2, 32, 5, 1).images;
    float[][] logits = new float[2][];
    List<List<String>> variables = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (Graph g = new Graph()) {
        TrainingGraph t = TrainingGraph.build(g, plain.withConv1FourChannels(i == 1), TrainingGraph.Options.NONE);
        variables.add(t.net.variables().stream().map(v -> v.op().name() + v.shape()).toList());
        try (Session s = Sessions.open(g, options(Precision.FP32))) {
          s.initialize();
          logits[i] = logits(s, t, image);
        }
      }
    }
    assertEquals(variables.get(0), variables.get(1));
    assertTrue(Closeness.relativeError(logits[1], logits[0]) < 1e-5, "off by " + Closeness.relativeError(logits[1], logits[0]));
    assertEquals(plain.variant(), plain.withConv1FourChannels(true).variant(), "the checkpoint's model name");
  }

  /**
   * {@code train --precision bf16} either trains as fp32 does (20 steps, every loss finite and close)
   * or stops in one line before the first step.
   */
  @Test
  void twentyBf16StepsTrackFp32() {
    assumeTrue(Precision.cpuHasBf16(), "no native bf16 on this CPU");
    // Hard enough that the loss stays well above 0 for 20 steps, where a relative comparison means something.
    ModelConfig model = new ModelConfig(32, 8, 42);
    TinyData data = new TinyData(16, 32, 8, 3);
    float[] fp32 = losses(model, options(Precision.FP32), data);
    float[] bf16;
    try {
      bf16 = losses(model, options(Precision.BF16), data);
    } catch (PrecisionChoice.PrecisionException e) {
      assertTrue(e.getMessage().startsWith("bf16 computes wrong results on this CPU ("), e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
      return;
    }
    for (int i = 0; i < fp32.length; i++) {
      assertTrue(Float.isFinite(bf16[i]), "step " + i + ": " + bf16[i]);
      // bf16's rounding makes each step a little different (measured: 0.5 % at most); the paths stay together.
      assertEquals(fp32[i], bf16[i], 0.03 * fp32[i] + 0.01, "step " + i + ": fp32 " + fp32[i] + ", bf16 " + bf16[i]);
    }
    assertTrue(bf16[fp32.length - 1] < bf16[0], "bf16 learns: " + bf16[0] + " -> " + bf16[fp32.length - 1]);
  }

  /** A wrong bf16 path (injected into the check) runs fp32 under auto and stops under bf16. */
  @Test
  void aWrongBf16PathFallsBackUnderAutoAndStopsUnderBf16() {
    ModelConfig model = new ModelConfig(32, 4, 42);
    System.setProperty(Bf16Check.FAULT_PROPERTY, "all");
    try {
      List<String> log = new ArrayList<>();
      var opened = TrainingSession.open(model, TrainingGraph.Options.NONE, options(Precision.AUTO),
          Session::initialize, log::add);
      opened.built().close();
      assertEquals(Precision.FP32, opened.precision());
      assertNotNull(opened.verdict());
      assertFalse(opened.verdict().passed());
      assertEquals(1, log.size(), log.toString());
      assertTrue(log.get(0).startsWith("bf16 computes wrong results on this CPU (conv1-64: "), log.get(0));
      assertTrue(log.get(0).endsWith(": using fp32"), log.get(0));

      var e = assertThrows(PrecisionChoice.PrecisionException.class, () -> TrainingSession.open(model,
          TrainingGraph.Options.NONE, options(Precision.BF16), Session::initialize, s -> {}));
      assertTrue(e.getMessage().contains("conv1-64"), e.getMessage());
      assertTrue(e.getMessage().endsWith("run with --precision fp32 (or auto)"), e.getMessage());
    } finally {
      System.clearProperty(Bf16Check.FAULT_PROPERTY);
    }
  }

  @Test
  void fp32IsNeverChecked() {
    List<String> log = new ArrayList<>();
    var opened = TrainingSession.open(new ModelConfig(32, 4, 42), TrainingGraph.Options.NONE,
        options(Precision.FP32), Session::initialize, log::add);
    opened.built().close();
    assertEquals(Precision.FP32, opened.precision());
    assertEquals(null, opened.verdict());
    assertEquals(List.of(), log);
  }

  private static float[] losses(ModelConfig model, SessionOptions options, TinyData data) {
    var opened = TrainingSession.open(model, TrainingGraph.Options.NONE, options, Session::initialize, s -> {});
    float[] losses = new float[20];
    try (TrainingSession ts = opened.built();
        TFloat32 x = data.imagesTensor();
        TInt32 y = data.labelsTensor();
        TFloat32 lr = TFloat32.scalarOf(2e-4f)) {
      TrainingGraph t = ts.t();
      for (int step = 0; step < losses.length; step++) {
        try (Result r = ts.session().runner().feed(t.images, x).feed(t.labels, y).feed(t.learningRate, lr)
            .addTarget(t.trainOp).fetch(t.loss).run()) {
          losses[step] = ((TFloat32) r.get(0)).getFloat();
        }
      }
    }
    return losses;
  }

  private static float[] logits(Session s, TrainingGraph t, float[] image) {
    int size = (int) t.images.shape().get(1);
    int count = image.length / (size * size * 3);
    try (TFloat32 x = Tensors.images(image, count, size);
        Result r = s.runner().feed(t.images, x).fetch(t.net.logits()).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }


  private static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
