package flowers.model;

import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Where the network's variables come from. One process creates them where the layer is built;
 * data-parallel towers share one set, created once on the parameter servers and handed to every
 * later tower in the same order.
 */
public interface Weights {

  /**
   * @param scope the layer's scope: the variable is named {@code name} inside it
   * @param initialValue the initial value, built in whatever scope the variable is created in
   */
  Variable<TFloat32> variable(Ops scope, String name, Function<Ops, Operand<TFloat32>> initialValue);

  /**
   * The value of {@code v} as the layer in {@code scope} reads it. A tower on another task reads
   * each variable once per step through this and both its forward and its backward pass use that
   * copy (TF1's {@code caching_device}); read directly, the forward and the backward pass each
   * fetched the variable from its parameter server: twice the bytes (measured).
   */
  default Operand<TFloat32> read(Ops scope, Variable<TFloat32> v) {
    return v;
  }

  /** Every variable created where its layer is built: single-process training and inference. */
  Weights LOCAL = (scope, name, init) -> scope.withName(name).variable(init.apply(scope));
}
