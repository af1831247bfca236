package flowers.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import flowers.model.ModelConfig;
import flowers.model.Names;
import flowers.serve.InferenceGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

class FrozenGraphTest {

  @Test
  void sameProbabilitiesWithConstantsAndNothingElseKept() {
    ModelConfig model = new ModelConfig(32, 3, 5, false, true); // batch norm: moving averages too
    float[] pixels = new float[2 * 32 * 32 * 3];
    Random rnd = new Random(3);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = rnd.nextInt(256);
    }
    try (Graph graph = new Graph(); TFloat32 x = Tensors.images(pixels, 2, 32)) {
      InferenceGraph.build(graph, model, List.of("a", "b", "c"));
      try (Session session = Sessions.open(graph, SessionOptions.of(1, Precision.FP32))) {
        session.initialize();
        float[] expected = probabilities(session, x);
        try (Graph frozen = FrozenGraph.freeze(graph, session, List.of(Names.PROBABILITIES));
            Session s = Sessions.open(frozen, SessionOptions.of(1, Precision.FP32))) {
          assertArrayEquals(expected, probabilities(s, x), 1e-5f); // TF may fold constant arithmetic in another order
          List<String> ops = new ArrayList<>();
          frozen.operations().forEachRemaining(op -> ops.add(op.type()));
          assertEquals(0, ops.stream().filter(t -> t.startsWith("Variable") || t.startsWith("Assign")).count(), ops.toString());
          List<String> variables = new ArrayList<>();
          graph.operations().forEachRemaining(op -> {
            if (op.type().equals("VariableV2")) {
              variables.add(op.name());
            }
          });
          assertEquals(108 * 2 + 107 * 4, variables.size(), "w and b per layer, four batch-norm tensors per conv");
          for (String v : variables) {
            assertEquals("Const", frozen.operation(v).type(), v);
          }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> FrozenGraph.freeze(graph, session, List.of("no_such_op")));
        assertEquals("no op named 'no_such_op' in the graph", e.getMessage());
      }
    }
  }

  private static float[] probabilities(Session s, TFloat32 x) {
    try (Result r = s.runner().feed(Names.IMAGES, x).fetch(Names.PROBABILITIES).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }
}
