package flowers.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The seed tutorial's 107-conv bottleneck ResNet (SPEC §2), built into any graph through {@link Ops}.
 *
 * <p>Pure: it adds ops and variables and returns the endpoints; it knows nothing of sessions, files
 * or training. One instance is one build, so the layer counter {@code c} starts at 0 every time,
 * where the original used a Python global.
 */
public final class ResNet {

  /**
   * The last conv of every residual branch starts at this fraction of its He-normal scale. With
   * full-scale branches each residual sum doubles the activation variance (every branch ends in a
   * ReLU, so nothing cancels) and the initial loss reaches ~1e6; a branch that starts at exactly
   * zero never learns, because TF's ReLU passes no gradient at 0. A small non-zero start keeps
   * the 33 sums near unit gain and every conv trainable.
   */
  static final float BRANCH_END_SCALE = 0.1f;

  /** Keeps the initial logits small, so the first loss is close to ln(C). */
  static final float FC_SCALE = 0.1f;

  /** Stddev of a normal truncated at 2σ is 0.8796σ; divide so the kernel has the intended scale. */
  private static final float TRUNCATION_CORRECTION = 0.87962566f;

  private final Ops tf;
  private final ModelConfig config;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<Variable<TFloat32>> convKernels = new ArrayList<>();
  private int c = 0; // the original's global conv counter: names the scopes c0 … c105
  private int layer = 0; // counts every weighted layer, for per-layer initialisation seeds

  private ResNet(Ops tf, ModelConfig config) {
    this.tf = tf;
    this.config = config;
  }

  /**
   * Builds the network on {@code images}: float32 {@code [-1,S,S,3]} RGB values in 0–255.
   *
   * <p>The scaling to [-1, 1] happens here, inside the graph, so training, evaluation and every
   * exported signature share one preprocessing.
   */
  public static Endpoints build(Ops tf, ModelConfig config, Operand<TFloat32> images) {
    return new ResNet(tf, config).network(images);
  }

  private Endpoints network(Operand<TFloat32> images) {
    int s = config.imageSize();
    Ops input = tf.withSubScope("input");
    Operand<TFloat32> scaled =
        input.math.sub(input.math.mul(images, input.constant(1f / 127.5f)), input.constant(1f));
    Operand<TFloat32> x =
        input.withName("input").reshape(scaled, input.constant(new long[] {-1, s, s, 3}));

    x = convLayer(tf.withSubScope("conv1-64"), x, 7, 64, 1f);
    x = maxPool(x, "max_pool_1");
    x = conv(tf.withSubScope("conv2-64"), x, 1, channels(x), 1f);
    x = maxPool(x, "max_pool_2");
    x = sameUnit(tf.withSubScope("resnet1"), x);
    x = maxPool(x, "max_pool_3");
    x = fiveSame(tf.withSubScope("resnet2-6"), x);
    x = increaseUnit(tf.withSubScope("resnet7"), x);
    x = maxPool(x, "max_pool_4");
    x = fiveSame(tf.withSubScope("resnet8-12"), x);
    x = fiveSame(tf.withSubScope("resnet13-17"), x);
    x = increaseUnit(tf.withSubScope("resnet18"), x);
    x = maxPool(x, "max_pool_5");
    x = fiveSame(tf.withSubScope("resnet19-23"), x);
    x = fiveSame(tf.withSubScope("resnet24-28"), x);
    x = fiveSame(tf.withSubScope("resnet29-33"), x);
    x = increaseUnit(tf.withSubScope("resnet34"), x);

    // Global average pool: the original's 7×7 VALID window at 224, and any multiple of 32 besides.
    Ops pool = tf.withSubScope("avg_pool_1");
    Operand<TFloat32> features = pool.math.mean(x, pool.constant(new int[] {1, 2}));

    Ops fc = tf.withSubScope("fc_1");
    int in = channels(features);
    Variable<TFloat32> w =
        variable(fc, "w", Shape.of(in, config.numClasses()), (float) (FC_SCALE / Math.sqrt(in)));
    Variable<TFloat32> b = zeros(fc, "b", config.numClasses());
    Operand<TFloat32> fcOut = fc.math.add(fc.linalg.matMul(features, w), b);

    Operand<TFloat32> logits = tf.withName(Names.LOGITS).identity(fcOut);
    Operand<TFloat32> probabilities = tf.withName(Names.PROBABILITIES).nn.softmax(logits);
    return new Endpoints(logits, probabilities, List.copyOf(variables), List.copyOf(convKernels));
  }

  /** Bottleneck unit that keeps C channels: 1×1 C→C/4, 3×3, 1×1 →C, plus the identity. */
  private Operand<TFloat32> sameUnit(Ops scope, Operand<TFloat32> x) {
    int k = channels(x) / 4;
    Operand<TFloat32> branch = conv(scope, x, 1, k, 1f);
    branch = conv(scope, branch, 3, k, 1f);
    branch = conv(scope, branch, 1, 4 * k, BRANCH_END_SCALE);
    return residualSum(scope, branch, x);
  }

  /** Bottleneck unit that doubles the channels: the branch to 2C, and a 1×1 conv shortcut. */
  private Operand<TFloat32> increaseUnit(Ops scope, Operand<TFloat32> x) {
    int k = channels(x) / 2;
    Operand<TFloat32> branch = conv(scope, x, 1, k, 1f);
    branch = conv(scope, branch, 3, k, 1f);
    branch = conv(scope, branch, 1, 4 * k, BRANCH_END_SCALE);
    Operand<TFloat32> shortcut = conv(scope, x, 1, 4 * k, 1f);
    return residualSum(scope, shortcut, branch);
  }

  private Operand<TFloat32> fiveSame(Ops scope, Operand<TFloat32> x) {
    for (int i = 0; i < 5; i++) {
      x = sameUnit(scope, x);
    }
    return x;
  }

  private Operand<TFloat32> residualSum(Ops scope, Operand<TFloat32> a, Operand<TFloat32> b) {
    Operand<TFloat32> sum = scope.math.add(a, b);
    return config.reluAfterAdd() ? scope.nn.relu(sum) : sum;
  }

  /** The original's {@code conv}: a counted scope {@code c<n>} inside {@code outer}. */
  private Operand<TFloat32> conv(Ops outer, Operand<TFloat32> x, int kernel, int out, float scale) {
    Ops scope = outer.withSubScope("c" + c);
    c++;
    return convLayer(scope, x, kernel, out, scale);
  }

  private Operand<TFloat32> convLayer(
      Ops scope, Operand<TFloat32> x, int kernel, int out, float scale) {
    int in = channels(x);
    float heStddev = (float) Math.sqrt(2.0 / (kernel * kernel * in));
    Variable<TFloat32> w = variable(scope, "w", Shape.of(kernel, kernel, in, out), heStddev * scale);
    Variable<TFloat32> b = zeros(scope, "b", out);
    convKernels.add(w);
    Operand<TFloat32> y = scope.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
    return scope.nn.relu(scope.nn.biasAdd(y, b));
  }

  private Operand<TFloat32> maxPool(Operand<TFloat32> x, String name) {
    Ops scope = tf.withSubScope(name);
    Operand<org.tensorflow.types.TInt32> window = scope.constant(new int[] {1, 2, 2, 1});
    return scope.nn.maxPool(x, window, window, "SAME");
  }

  /** Truncated normal with a seed of its own per layer: the same weights on every build. */
  private Variable<TFloat32> variable(Ops scope, String name, Shape shape, float stddev) {
    Operand<TFloat32> unit =
        scope.random.statelessTruncatedNormal(
            scope.constant(shape), scope.constant(new long[] {config.seed(), layer++}));
    Operand<TFloat32> init =
        scope.math.mul(unit, scope.constant(stddev / TRUNCATION_CORRECTION));
    Variable<TFloat32> v = scope.withName(name).variable(init);
    variables.add(v);
    return v;
  }

  private Variable<TFloat32> zeros(Ops scope, String name, int size) {
    // tf.fill, not tf.zeros: zeros opens a sub-scope, which rescans the whole graph on every call.
    Variable<TFloat32> v =
        scope.withName(name).variable(scope.fill(scope.constant(new long[] {size}), scope.constant(0f)));
    variables.add(v);
    return v;
  }

  private static int channels(Operand<TFloat32> x) {
    return (int) x.shape().get(x.shape().numDimensions() - 1);
  }
}
