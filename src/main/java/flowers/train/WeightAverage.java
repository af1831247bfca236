package flowers.train;

import flowers.model.Names;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An exponential moving average of every weight, kept beside the weights (timm's ModelEma, TF's
 * ExponentialMovingAverage): {@code a ← d·a + (1−d)·w} after each step. The averages are variables
 * named {@link Names#average(String)}, so checkpoints carry them and inference can load them in
 * place of the weights.
 *
 * <p>The decay warms up as TF's {@code num_updates} does, {@code min(d, (1+t)/(10+t))}: a fixed 0.999
 * would still be mostly the random initialisation after a short run.
 */
public final class WeightAverage {
  private final List<Variable<TFloat32>> weights;
  private final List<Variable<TFloat32>> averages = new ArrayList<>();
  private final List<Variable<TFloat32>> saved = new ArrayList<>();
  private final TrainingGraph.Placement near;
  /** Copies every weight into its average: run once after initialising a new run. */
  public final Op reset;
  /** Puts the averages into the weights, keeping the weights aside: evaluate after this. */
  public final Op swapIn;
  /** Puts the weights kept aside by {@link #swapIn} back. */
  public final Op swapOut;

  WeightAverage(Ops tf, List<Variable<TFloat32>> weights, TrainingGraph.Placement near) {
    this.weights = List.copyOf(weights);
    this.near = near;
    Ops average = tf.withSubScope("weight_average");
    List<Op> resets = new ArrayList<>();
    List<Op> keeps = new ArrayList<>();
    for (Variable<TFloat32> w : weights) {
      Ops avg = near.near(average, w);
      Operand<TFloat32> zeros = avg.fill(avg.constant(w.shape()), avg.constant(0f));
      // Names.average(...) is the full name; withName takes it without the scope.
      String name = Names.average(w.op().name());
      Variable<TFloat32> a = avg.withName(name.substring(name.indexOf('/') + 1)).variable(zeros);
      Variable<TFloat32> s = avg.withName("saved_" + name.substring(name.indexOf('/') + 1)).variable(zeros);
      averages.add(a);
      saved.add(s);
      resets.add(avg.assign(a, w));
      keeps.add(avg.assign(s, w));
    }
    Ops avg = average;
    reset = avg.withControlDependencies(resets).noOp();
    Ops afterKeep = avg.withControlDependencies(keeps);
    List<Op> ins = new ArrayList<>();
    List<Op> outs = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      ins.add(afterKeep.assign(weights.get(i), averages.get(i)));
      outs.add(avg.assign(weights.get(i), saved.get(i)));
    }
    swapIn = avg.withControlDependencies(ins).noOp();
    swapOut = avg.withControlDependencies(outs).noOp();
  }

  /** The averages' update, to run after {@code afterStep}'s dependencies (the optimizer's updates). */
  Op update(Ops afterStep, Variable<TInt64> step, float decay) {
    Operand<TFloat32> t = afterStep.dtypes.cast(step, TFloat32.class);
    Operand<TFloat32> warm = afterStep.math.div(afterStep.math.add(t, afterStep.constant(1f)),
        afterStep.math.add(t, afterStep.constant(10f)));
    Operand<TFloat32> d = afterStep.math.minimum(afterStep.constant(decay), warm);
    Operand<TFloat32> oneMinusD = afterStep.math.sub(afterStep.constant(1f), d);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Variable<TFloat32> a = averages.get(i);
      Ops at = near.near(afterStep, a);
      updates.add(at.assign(a, at.math.add(at.math.mul(d, a), at.math.mul(oneMinusD, weights.get(i)))));
    }
    return afterStep.withControlDependencies(updates).noOp();
  }

  public List<Variable<TFloat32>> averages() {
    return List.copyOf(averages);
  }
}
