package flowers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class ResNetTest {

  /** name and shape of each variable, e.g. "resnet1/c1/w 1,1,64,16". */
  static List<String> describe(List<Variable<TFloat32>> variables) {
    return variables.stream()
        .map(v -> v.op().name() + " " + dims(v.shape()))
        .collect(Collectors.toList());
  }

  private static String dims(Shape shape) {
    return LongStream.of(shape.asArray()).mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  static List<String> specVariables() throws IOException {
    try (InputStream in = ResNetTest.class.getResourceAsStream("/resnet107-variables.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .collect(Collectors.toList());
    }
  }

  static Endpoints build(Graph g, int size) {
    Ops tf = Ops.create(g);
    var images =
        tf.withName(Names.IMAGES)
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size, size, 3)));
    return ResNet.build(tf, new ModelConfig(size, 20, 42), images);
  }

  @Test
  void variablesMatchTheSpecNameForNameAndShapeForShape() throws IOException {
    try (Graph g = new Graph()) {
      Endpoints net = build(g, 64);
      assertEquals(specVariables(), describe(net.variables()));
      assertEquals(107, net.convKernels().size());
      long params = net.variables().stream().mapToLong(v -> v.shape().size()).sum();
      assertEquals(1_773_652, params);
    }
  }

  @Test
  void buildingTwiceInOneJvmGivesTheSameNames() {
    List<String> first;
    try (Graph g = new Graph()) {
      first = describe(build(g, 32).variables());
    }
    try (Graph g = new Graph()) {
      assertEquals(first, describe(build(g, 32).variables()));
    }
  }

  @Test
  void endpointsAreNamedAndShaped() {
    try (Graph g = new Graph()) {
      Endpoints net = build(g, 64);
      assertEquals(Names.LOGITS, net.logits().op().name());
      assertEquals(Names.PROBABILITIES, net.probabilities().op().name());
      assertArrayEquals(new long[] {-1, 20}, net.logits().shape().asArray());
      assertArrayEquals(new long[] {-1, 20}, net.probabilities().shape().asArray());
    }
  }

  @Test
  void imageSizeMustBeAMultipleOf32() {
    assertThrows(IllegalArgumentException.class, () -> new ModelConfig(100, 20, 1));
    assertThrows(IllegalArgumentException.class, () -> new ModelConfig(0, 20, 1));
  }

  /** A calibrated model's probabilities are softmax(logits / T); the logits are those of T = 1. */
  @Test
  void temperatureScalesTheProbabilitiesOnly() {
    float t = 2.5f;
    float[] px = new float[2 * 32 * 32 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 37) % 256;
    }
    float[][] logits = new float[2][];
    float[][] probabilities = new float[2][];
    for (int k = 0; k < 2; k++) {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        var images = tf.withName(Names.IMAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
        Endpoints net = ResNet.build(tf, new ModelConfig(32, 5, 42).withTemperature(k == 0 ? 1f : t), images);
        try (org.tensorflow.Session s = new org.tensorflow.Session(g);
            TFloat32 x = flowers.tf.Tensors.images(px, 2, 32)) {
          s.initialize();
          try (var r = s.runner().feed(images, x)
              .fetch(net.logits()).fetch(net.probabilities()).run()) {
            logits[k] = flowers.tf.Tensors.toArray((TFloat32) r.get(0));
            probabilities[k] = flowers.tf.Tensors.toArray((TFloat32) r.get(1));
          }
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(logits[0], logits[1], 1e-6f);
    float[] expected = flowers.eval.Calibration.probabilities(logits[0], 5, t);
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, probabilities[1], 1e-6f);
  }

  /** The memory lever: no ReLU runs at the input's full resolution, where conv1's activation is. */
  @Test
  void noReluRunsAtFullResolution() {
    try (Graph g = new Graph()) {
      build(g, 64);
      var ops = g.operations();
      int relus = 0;
      while (ops.hasNext()) {
        var op = ops.next();
        if (op.type().equals("Relu")) {
          relus++;
          long height = op.output(0).shape().get(1);
          assertTrue(height <= 32, op.name() + " runs at " + height + " px");
        }
      }
      assertEquals(107, relus); // one per conv, as in the seed
      assertEquals("conv1-64/Relu", g.operation("conv1-64/Relu").name());
      assertEquals("conv2-64/c0/Relu", g.operation("conv2-64/c0/Relu").name());
    }
  }

  /**
   * Why the stem may pool before its ReLU: relu(maxpool(x)) equals maxpool(relu(x)) bit for bit,
   * and so do their gradients, on values with negatives, zeros and ties in one window.
   */
  @Test
  void reluAndMaxPoolCommuteExactly() {
    float[] px = new float[2 * 6 * 6 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = ((i * 7919) % 23 - 11) / 4f; // -2.75 … 2.75, every value many times: ties and zeros
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 6, 6, 3)));
      var window = tf.constant(new int[] {1, 2, 2, 1});
      var reluFirst = tf.nn.maxPool(tf.nn.relu(x), window, window, "SAME");
      var poolFirst = tf.nn.relu(tf.nn.maxPool(x, window, window, "SAME"));
      var weights = tf.constant(Shape.of(2, 3, 3, 3), ramp(2 * 3 * 3 * 3));
      var a = g.addGradients(tf.reduceSum(tf.math.mul(reluFirst, weights), tf.constant(new int[] {0, 1, 2, 3})).asOutput(),
          new Output<?>[] {x.asOutput()})[0];
      var b = g.addGradients(tf.reduceSum(tf.math.mul(poolFirst, weights), tf.constant(new int[] {0, 1, 2, 3})).asOutput(),
          new Output<?>[] {x.asOutput()})[0];
      try (org.tensorflow.Session s = new org.tensorflow.Session(g);
          TFloat32 in = TFloat32.tensorOf(Shape.of(2, 6, 6, 3), DataBuffers.of(px));
          var r = s.runner().feed(x, in).fetch(reluFirst).fetch(poolFirst).fetch(a).fetch(b).run()) {
        assertArrayEquals(flowers.tf.Tensors.toArray((TFloat32) r.get(0)), flowers.tf.Tensors.toArray((TFloat32) r.get(1)));
        float[] gradA = flowers.tf.Tensors.toArray((TFloat32) r.get(2));
        assertArrayEquals(gradA, flowers.tf.Tensors.toArray((TFloat32) r.get(3)));
        assertTrue(IntStream.range(0, gradA.length).anyMatch(i -> gradA[i] != 0));
      }
    }
  }

  private static FloatDataBuffer ramp(int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = 1 + i % 5;
    }
    return DataBuffers.of(w);
  }
}
