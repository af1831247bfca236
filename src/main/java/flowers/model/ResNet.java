package flowers.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
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

  /** Batch-norm variant: moving averages keep 99 % of their value each step. */
  static final float BN_MOMENTUM = 0.99f;
  static final float BN_EPSILON = 1e-3f;

  private final Ops tf;
  private final ModelConfig config;
  private final Operand<TBool> training; // batch-norm variant only: batch statistics when true
  private final Weights weights;
  private final List<Op> updates = new ArrayList<>();
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<Variable<TFloat32>> convKernels = new ArrayList<>();
  private int c = 0; // the original's global conv counter: names the scopes c0 … c105
  private int layer = 0; // counts every weighted layer, for per-layer initialisation seeds

  private ResNet(Ops tf, ModelConfig config, Operand<TBool> training, Weights weights) {
    this.tf = tf;
    this.config = config;
    this.training = training;
    this.weights = weights;
  }

  /**
   * Builds the network on {@code images}: float32 {@code [-1,S,S,3]} RGB values in 0–255.
   *
   * <p>The scaling to [-1, 1] happens here, inside the graph, so training, evaluation and every
   * exported signature share one preprocessing.
   */
  public static Endpoints build(Ops tf, ModelConfig config, Operand<TFloat32> images) {
    return build(tf, config, images, null);
  }

  /**
   * @param training for the batch-norm variant: a scalar that is true while training (batch
   *     statistics, moving averages updated by {@link Endpoints#updates()}) and false to evaluate
   *     (moving averages); null builds an inference-only graph on the moving averages
   */
  public static Endpoints build(Ops tf, ModelConfig config, Operand<TFloat32> images, Operand<TBool> training) {
    return build(tf, config, images, training, Weights.LOCAL);
  }

  /**
   * @param weights where the variables come from: {@link Weights#LOCAL}, or a set that towers on
   *     several devices share (every build asks for the same variables in the same order)
   */
  public static Endpoints build(Ops tf, ModelConfig config, Operand<TFloat32> images, Operand<TBool> training,
      Weights weights) {
    return new ResNet(tf, config, training, weights).network(images);
  }

  private Endpoints network(Operand<TFloat32> images) {
    int s = config.imageSize();
    Ops input = tf.withSubScope("input");
    Operand<TFloat32> scaled =
        input.math.sub(input.math.mul(images, input.constant(1f / 127.5f)), input.constant(1f));
    Operand<TFloat32> x =
        input.withName("input").reshape(scaled, input.constant(new long[] {-1, s, s, 3}));

    Ops conv1 = tf.withSubScope("conv1-64");
    x = reluAfterPool(conv1, convLayer(conv1, x, 7, 64, 1f, false), "max_pool_1");
    Ops conv2 = counted(tf.withSubScope("conv2-64"));
    x = reluAfterPool(conv2, convLayer(conv2, x, 1, channels(x), 1f, false), "max_pool_2");
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
    Operand<TFloat32> fcOut = fc.math.add(fc.linalg.matMul(features, weights.read(fc, w)), weights.read(fc, b));

    Operand<TFloat32> logits = tf.withName(Names.LOGITS).identity(fcOut);
    // Calibration divides the logits by one positive number: the ranking, hence every top class, stays.
    Operand<TFloat32> calibrated = config.temperature() == 1f ? logits
        : tf.withName("calibrated_logits").math.mul(logits, tf.constant(1f / config.temperature()));
    Operand<TFloat32> probabilities = tf.withName(Names.PROBABILITIES).nn.softmax(calibrated);
    return new Endpoints(logits, probabilities, List.copyOf(variables), List.copyOf(convKernels), List.copyOf(updates));
  }

  /** Bottleneck unit that keeps C channels: 1×1 C→C/4, 3×3, 1×1 →C, plus the identity. */
  private Operand<TFloat32> sameUnit(Ops scope, Operand<TFloat32> x) {
    int k = channels(x) / 4;
    Operand<TFloat32> branch = conv(scope, x, 1, k, 1f, true);
    branch = conv(scope, branch, 3, k, 1f, true);
    branch = conv(scope, branch, 1, 4 * k, BRANCH_END_SCALE, !config.reluAfterAdd());
    return residualSum(scope, branch, x);
  }

  /** Bottleneck unit that doubles the channels: the branch to 2C, and a 1×1 conv shortcut. */
  private Operand<TFloat32> increaseUnit(Ops scope, Operand<TFloat32> x) {
    int k = channels(x) / 2;
    Operand<TFloat32> branch = conv(scope, x, 1, k, 1f, true);
    branch = conv(scope, branch, 3, k, 1f, true);
    branch = conv(scope, branch, 1, 4 * k, BRANCH_END_SCALE, !config.reluAfterAdd());
    Operand<TFloat32> shortcut = conv(scope, x, 1, 4 * k, 1f, !config.reluAfterAdd());
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
  private Operand<TFloat32> conv(Ops outer, Operand<TFloat32> x, int kernel, int out, float scale, boolean relu) {
    return convLayer(counted(outer), x, kernel, out, scale, relu);
  }

  /** The next conv's scope {@code c<n>} inside {@code outer}. */
  private Ops counted(Ops outer) {
    return outer.withSubScope("c" + c++);
  }

  /**
   * conv + bias (+ batch norm) + ReLU. The ReLU is left out only in the relu-after-add variant, on
   * the last conv of a branch and on the shortcut conv: in the seed's graph every addend of a
   * residual sum is already non-negative, so a ReLU after the add alone would change nothing.
   */
  private Operand<TFloat32> convLayer(
      Ops scope, Operand<TFloat32> x, int kernel, int out, float scale, boolean relu) {
    int in = channels(x);
    float heStddev = (float) Math.sqrt(2.0 / (kernel * kernel * in));
    Variable<TFloat32> w = variable(scope, "w", Shape.of(kernel, kernel, in, out), heStddev * scale);
    Variable<TFloat32> b = zeros(scope, "b", out);
    convKernels.add(w);
    Operand<TFloat32> kernelIn = weights.read(scope, w);
    if (in == 3 && config.conv1FourChannels()) {
      // A zero channel in the image meets a zero slice of the kernel: the sum is unchanged.
      x = scope.pad(x, scope.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 1}}), scope.constant(0f));
      kernelIn = scope.pad(kernelIn, scope.constant(new int[][] {{0, 0}, {0, 0}, {0, 1}, {0, 0}}), scope.constant(0f));
    }
    Operand<TFloat32> y = scope.nn.biasAdd(scope.nn.conv2d(x, kernelIn, List.of(1L, 1L, 1L, 1L), "SAME"), weights.read(scope, b));
    Operand<TFloat32> z = config.batchNorm() ? batchNorm(scope.withSubScope("bn"), y, out) : y;
    return relu ? scope.nn.relu(z) : z;
  }

  /**
   * Batch normalisation over N, H, W. The switch between batch statistics and moving averages is
   * arithmetic on the {@code training} flag (t·batch + (1−t)·moving) rather than a select, so
   * every op on the gradient path has a registered C++ gradient.
   */
  private Operand<TFloat32> batchNorm(Ops bn, Operand<TFloat32> y, int channels) {
    Variable<TFloat32> gamma = filled(bn, "gamma", channels, 1f);
    variables.add(gamma);
    Variable<TFloat32> beta = zeros(bn, "beta", channels);
    Variable<TFloat32> movingMean = filled(bn, "moving_mean", channels, 0f);
    Variable<TFloat32> movingVariance = filled(bn, "moving_variance", channels, 1f);
    Operand<TFloat32> mean = weights.read(bn, movingMean);
    Operand<TFloat32> variance = weights.read(bn, movingVariance);
    if (training != null) {
      Operand<org.tensorflow.types.TInt32> axes = bn.constant(new int[] {0, 1, 2});
      Operand<TFloat32> batchMean = bn.math.mean(y, axes);
      Operand<TFloat32> batchVariance = bn.math.mean(bn.math.square(bn.math.sub(y, batchMean)), axes);
      Operand<TFloat32> t = bn.dtypes.cast(training, TFloat32.class);
      Operand<TFloat32> notT = bn.math.sub(bn.constant(1f), t);
      mean = bn.math.add(bn.math.mul(t, batchMean), bn.math.mul(notT, mean));
      variance = bn.math.add(bn.math.mul(t, batchVariance), bn.math.mul(notT, variance));
      updates.add(bn.assign(movingMean, movingAverage(bn, movingMean, batchMean)));
      updates.add(bn.assign(movingVariance, movingAverage(bn, movingVariance, batchVariance)));
    }
    Operand<TFloat32> scale = bn.math.mul(bn.math.rsqrt(bn.math.add(variance, bn.constant(BN_EPSILON))), weights.read(bn, gamma));
    return bn.math.add(bn.math.mul(bn.math.sub(y, mean), scale), weights.read(bn, beta));
  }

  private static Operand<TFloat32> movingAverage(Ops bn, Operand<TFloat32> average, Operand<TFloat32> value) {
    return bn.math.add(bn.math.mul(average, bn.constant(BN_MOMENTUM)), bn.math.mul(value, bn.constant(1 - BN_MOMENTUM)));
  }

  /**
   * The seed's conv → ReLU → max pool, computed as conv → max pool → ReLU: the same numbers (ReLU is
   * monotonic, so it commutes with a max, ties and gradients included) with the ReLU, and the
   * activation it keeps for the backward pass, at a quarter of the size. At 224 px and batch 16,
   * conv1's full-size activation is 205 MB in fp32. The ReLU keeps its layer's name ({@code
   * conv1-64/Relu}), which the bf16 check reports a wrong layer by.
   */
  private Operand<TFloat32> reluAfterPool(Ops layer, Operand<TFloat32> preActivation, String poolName) {
    return layer.nn.relu(maxPool(preActivation, poolName));
  }

  private Operand<TFloat32> maxPool(Operand<TFloat32> x, String name) {
    Ops scope = tf.withSubScope(name);
    Operand<org.tensorflow.types.TInt32> window = scope.constant(new int[] {1, 2, 2, 1});
    return scope.nn.maxPool(x, window, window, "SAME");
  }

  /** Truncated normal with a seed of its own per layer: the same weights on every build. */
  private Variable<TFloat32> variable(Ops scope, String name, Shape shape, float stddev) {
    long[] seed = {config.seed(), layer++};
    Variable<TFloat32> v = weights.variable(scope, name, at -> at.math.mul(
        at.random.statelessTruncatedNormal(at.constant(shape), at.constant(seed)),
        at.constant(stddev / TRUNCATION_CORRECTION)));
    variables.add(v);
    return v;
  }

  private Variable<TFloat32> zeros(Ops scope, String name, int size) {
    Variable<TFloat32> v = filled(scope, name, size, 0f);
    variables.add(v);
    return v;
  }

  private Variable<TFloat32> filled(Ops scope, String name, int size, float value) {
    // tf.fill, not tf.zeros: zeros opens a sub-scope, which rescans the whole graph on every call.
    return weights.variable(scope, name, at -> at.fill(at.constant(new long[] {size}), at.constant(value)));
  }

  private static int channels(Operand<TFloat32> x) {
    return (int) x.shape().get(x.shape().numDimensions() - 1);
  }
}
