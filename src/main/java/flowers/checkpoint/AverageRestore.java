package flowers.checkpoint;

import flowers.model.Names;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Loads a checkpoint's weight averages ({@link Names#average(String)}) into the weights of an
 * inference graph, after the plain restore: what {@code evaluate}, {@code predict} and {@code export}
 * use for a run trained with {@code --ema-decay}.
 */
public final class AverageRestore {
  private AverageRestore() {}

  /**
   * @param variables the graph's weights; each gets the average saved under its name
   */
  public static void restore(Graph graph, Session session, String prefix, List<Variable<TFloat32>> variables) {
    Ops tf = Ops.create(graph).withSubScope("restore_weight_averages");
    Placeholder<TString> file = tf.placeholder(TString.class);
    String[] names = variables.stream().map(v -> Names.average(v.op().name())).toArray(String[]::new);
    String[] slices = new String[names.length];
    java.util.Arrays.fill(slices, "");
    List<Class<? extends TType>> types = new ArrayList<>(Collections.nCopies(names.length, TFloat32.class));
    Restore read = tf.train.restore(file, tf.constant(NdArrays.vectorOfObjects(names)),
        tf.constant(NdArrays.vectorOfObjects(slices)), types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> value = (Operand<TFloat32>) read.tensors().get(i);
      assigns.add(tf.assign(variables.get(i), value));
    }
    Op all = tf.withControlDependencies(assigns).noOp();
    try (TString path = TString.scalarOf(prefix)) {
      session.runner().feed(file, path).addTarget(all).run();
    } catch (RuntimeException e) {
      throw new CheckpointException("the weight averages of " + prefix + " cannot be read (" + CheckpointManager.reason(e)
          + "): the checkpoint is damaged, or it was saved without --ema-decay", e);
    }
  }
}
