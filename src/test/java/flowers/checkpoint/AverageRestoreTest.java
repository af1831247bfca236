package flowers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.model.ModelConfig;
import flowers.model.Names;
import flowers.serve.InferenceGraph;
import flowers.tf.Tensors;
import flowers.train.TrainingGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

class AverageRestoreTest {
  @TempDir Path dir;

  private static float[] values(Session s, String name) {
    try (Result r = s.runner().fetch(name).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  @Test
  void inferenceGetsTheAveragesNotTheWeights() {
    ModelConfig model = new ModelConfig(32, 3, 9);
    String prefix = dir.resolve("ckpt").toString();
    String w = "fc_1/w";
    float[] raw;
    float[] average;
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, model, new TrainingGraph.Options(0f, 0f, false, 0.5f));
      float[] px = new float[4 * 32 * 32 * 3];
      Random rnd = new Random(1);
      for (int i = 0; i < px.length; i++) {
        px[i] = rnd.nextInt(256);
      }
      try (Session s = new Session(g);
          TFloat32 x = Tensors.images(px, 4, 32);
          var y = Tensors.labels(new int[] {0, 1, 2, 0}, 4);
          TFloat32 lr = TFloat32.scalarOf(1e-2f)) {
        s.initialize();
        s.runner().addTarget(t.ema.reset).run();
        for (int i = 0; i < 3; i++) {
          s.runner().feed(t.images, x).feed(t.labels, y).feed(t.learningRate, lr).addTarget(t.trainOp).run();
        }
        raw = values(s, w);
        average = values(s, Names.average(w));
        s.save(prefix);
      }
    }
    assertFalse(Arrays.equals(raw, average));
    try (Graph g = new Graph()) {
      InferenceGraph inference = InferenceGraph.build(g, model, List.of("a", "b", "c"));
      try (Session s = new Session(g)) {
        s.restore(prefix);
        assertArrayEquals(raw, values(s, w));
        AverageRestore.restore(g, s, prefix, inference.net.variables());
        assertArrayEquals(average, values(s, w));
      }
    }
  }

  @Test
  void aCheckpointWithoutAveragesSaysSo() {
    ModelConfig model = new ModelConfig(32, 3, 9);
    String prefix = dir.resolve("plain").toString();
    try (Graph g = new Graph()) {
      TrainingGraph.build(g, model, TrainingGraph.Options.NONE);
      try (Session s = new Session(g)) {
        s.initialize();
        s.save(prefix);
      }
    }
    try (Graph g = new Graph()) {
      InferenceGraph inference = InferenceGraph.build(g, model, List.of("a", "b", "c"));
      try (Session s = new Session(g)) {
        s.restore(prefix);
        var e = assertThrows(CheckpointException.class,
            () -> AverageRestore.restore(g, s, prefix, inference.net.variables()));
        assertTrue(e.getMessage().contains("saved without --ema-decay"), e.getMessage());
      }
    }
  }
}
