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

  /** Every variable created where its layer is built: single-process training and inference. */
  Weights LOCAL = (scope, name, init) -> scope.withName(name).variable(init.apply(scope));
}
