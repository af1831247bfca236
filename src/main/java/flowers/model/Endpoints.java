package flowers.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What a built network exposes.
 *
 * @param logits float32 {@code [-1,C]}, named {@link Names#LOGITS}
 * @param probabilities softmax of the logits, named {@link Names#PROBABILITIES}
 * @param variables every trainable variable in creation order (conv kernels and biases, then fc)
 * @param convKernels the 107 conv kernels, in the seed's order (conv1-64, c0 … c105)
 * @param updates ops a training step must run besides the optimizer (batch-norm moving averages)
 */
public record Endpoints(
    Operand<TFloat32> logits,
    Operand<TFloat32> probabilities,
    List<Variable<TFloat32>> variables,
    List<Variable<TFloat32>> convKernels,
    List<Op> updates) {}
