package flowers.bench;

import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import flowers.tf.Sessions;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Runs the seed's conv1 (3→64, 7×7, 224 px) once in fp32 and once in bf16, so that a parent
 * process reading oneDNN's verbose log (see {@link Machine}) learns which kernels this CPU gets.
 */
public final class Conv1Probe {
  private Conv1Probe() {}

  public static void main(String[] args) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 224, 224, 3)));
      var w = tf.fill(tf.constant(new long[] {7, 7, 3, 64}), tf.constant(0.01f));
      var y = tf.nn.relu(tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME"));
      for (Precision p : List.of(Precision.FP32, Precision.BF16)) {
        try (Session s = Sessions.open(g, new SessionOptions(0, p, flowers.tf.Device.CPU));
            TFloat32 in = TFloat32.tensorOf(Shape.of(1, 224, 224, 3));
            Result r = s.runner().feed(x, in).fetch(y).run()) {
          r.get(0);
        }
      }
    }
  }
}
