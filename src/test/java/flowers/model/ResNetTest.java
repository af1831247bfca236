package flowers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
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
}
