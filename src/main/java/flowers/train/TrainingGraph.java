package flowers.train;

import flowers.model.Endpoints;
import flowers.model.ModelConfig;
import flowers.model.Names;
import flowers.model.ResNet;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The network plus loss, metrics and an Adam update whose learning rate is fed every step.
 *
 * <p>The update is built from {@code graph.addGradients} and {@code tf.train.applyAdam} rather
 * than the framework's {@code Adam}: that optimizer bakes the learning rate in as a constant and
 * cannot name slots for scoped variables in 1.1.0.
 */
public final class TrainingGraph {

  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPSILON = 1e-8f;

  /**
   * @param labelSmoothing ε: the target puts 1-ε+ε/C on the true class and ε/C elsewhere
   * @param weightDecay coefficient of the weight decay on every conv and dense kernel
   * @param decoupled AdamW (Loshchilov & Hutter): each step shrinks a kernel by lr·decay·w apart
   *     from Adam's update; otherwise the decay is an L2 term added to the gradient, which Adam's
   *     per-weight scaling then weakens exactly where gradients are large
   * @param emaDecay keep an exponential moving average of every weight (timm's ModelEma), updated
   *     after each step with this decay; 0 keeps none
   * @param classWeights the loss weight of each class's examples ({@link ClassWeights}); null = 1 each
   */
  public record Options(float labelSmoothing, float weightDecay, boolean decoupled, float emaDecay,
      float[] classWeights) {
    public static final Options NONE = new Options(0f, 0f, false, 0f, null);

    public Options {
      if (emaDecay < 0 || emaDecay >= 1) {
        throw new IllegalArgumentException("--ema-decay must be in [0, 1), got " + emaDecay);
      }
    }

    /** Every example weighs 1. */
    public Options(float labelSmoothing, float weightDecay) {
      this(labelSmoothing, weightDecay, false, 0f, null);
    }

    public Options(float labelSmoothing, float weightDecay, boolean decoupled) {
      this(labelSmoothing, weightDecay, decoupled, 0f, null);
    }

    public Options(float labelSmoothing, float weightDecay, boolean decoupled, float emaDecay) {
      this(labelSmoothing, weightDecay, decoupled, emaDecay, null);
    }

    public Options(float labelSmoothing, float weightDecay, float[] classWeights) {
      this(labelSmoothing, weightDecay, false, 0f, classWeights);
    }

    /** The same options with each class's loss weight. */
    public Options withClassWeights(float[] weights) {
      return new Options(labelSmoothing, weightDecay, decoupled, emaDecay, weights);
    }
  }

  public final Endpoints net;
  public final Placeholder<TFloat32> images;
  public final Placeholder<TInt32> labels;
  public final Placeholder<TFloat32> learningRate;
  /** Batch-norm variant only (else null): defaults to true; feed false to evaluate on moving averages. */
  public final Operand<TBool> training;
  public final Operand<TFloat32> loss;
  public final Operand<TFloat32> accuracy;
  /** Runs one Adam step on every variable, then increments {@link #step}. */
  public final Op trainOp;
  public final Variable<TInt64> step;
  /** d loss / d variable, in the order of {@code net.variables()}. */
  public final List<Output<TFloat32>> gradients;
  /** The weight averages (see {@link Options#emaDecay()}); null without. */
  public final WeightAverage ema;

  /**
   * The update half shared by one process and the replicated towers: step counter, weight
   * averages and Adam on {@code gradients}.
   *
   * @param near where ops that update a variable go: beside it (on its parameter server), so a
   *     gradient crosses the network once and no update funnels through another task
   */
  TrainingGraph(Ops tf, Endpoints net, Placeholder<TFloat32> images, Placeholder<TInt32> labels,
      Placeholder<TFloat32> learningRate, Operand<TBool> training, Operand<TFloat32> loss,
      Operand<TFloat32> accuracy, List<Output<TFloat32>> gradients, Options options, Placement near) {
    this.net = net;
    this.images = images;
    this.labels = labels;
    this.learningRate = learningRate;
    this.training = training;
    this.loss = loss;
    this.accuracy = accuracy;
    this.gradients = List.copyOf(gradients);
    step = near.first(tf).withName(Names.GLOBAL_STEP).variable(tf.constant(0L));
    ema = options.emaDecay() > 0 ? new WeightAverage(tf, net.variables(), near) : null;
    trainOp = adam(tf, net.variables(), this.gradients, options, near);
  }

  /** Where an op that reads or writes a variable is placed. */
  interface Placement {
    /** Ops placed beside {@code v}. */
    Ops near(Ops tf, Variable<?> v);

    /** Ops placed beside the first variable: the step counter's place. */
    default Ops first(Ops tf) {
      return tf;
    }

    /** One process: wherever TensorFlow puts it. */
    Placement ANYWHERE = (tf, v) -> tf;
  }

  public static TrainingGraph build(Graph graph, ModelConfig config, Options options) {
    Ops tf = Ops.create(graph);
    int s = config.imageSize();
    Placeholder<TFloat32> images =
        tf.withName(Names.IMAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
    Placeholder<TInt32> labels =
        tf.withName(Names.LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat32> learningRate = learningRate(tf);
    Operand<TBool> training = trainingFlag(tf, config);
    Endpoints net = ResNet.build(tf, config, images, training);
    Operand<TFloat32> loss = tf.withName(Names.LOSS).math.mean(perExampleLoss(tf, net.logits(), labels, config, options),
        tf.constant(0));
    Operand<TFloat32> accuracy = tf.withName(Names.ACCURACY).math.mean(correct(tf, net.logits(), labels), tf.constant(0));
    List<Variable<TFloat32>> vars = net.variables();
    Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    List<Output<TFloat32>> grads = floats(graph.addGradients(loss.asOutput(), xs));
    return new TrainingGraph(tf, net, images, labels, learningRate, training, loss, accuracy, grads, options,
        Placement.ANYWHERE);
  }

  static Placeholder<TFloat32> learningRate(Ops tf) {
    return tf.withName(Names.LEARNING_RATE).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /** Batch-norm variant only (else null): true by default, fed false to evaluate on the moving averages. */
  static Operand<TBool> trainingFlag(Ops tf, ModelConfig config) {
    return config.batchNorm()
        ? tf.withName(Names.TRAINING).placeholderWithDefault(tf.constant(true), Shape.scalar())
        : null;
  }

  /** Cross-entropy of each example against its (smoothed) label, times its class weight. */
  static Operand<TFloat32> perExampleLoss(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels,
      ModelConfig config, Options options) {
    int classes = config.numClasses();
    float eps = options.labelSmoothing();
    Operand<TFloat32> target = tf.oneHot(labels, tf.constant(classes), tf.constant(1f - eps + eps / classes),
        tf.constant(eps / classes));
    Operand<TFloat32> perExample =
        tf.math.neg(tf.sum(tf.math.mul(target, tf.nn.logSoftmax(logits)), tf.constant(1)));
    if (options.classWeights() != null) {
      perExample = tf.math.mul(perExample, tf.gather(tf.constant(options.classWeights()), labels, tf.constant(0)));
    }
    return perExample;
  }

  /** 1 where the top class is the label, else 0. */
  static Operand<TFloat32> correct(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class);
  }

  @SuppressWarnings("unchecked")
  static List<Output<TFloat32>> floats(Output<?>[] outputs) {
    List<Output<TFloat32>> all = new ArrayList<>(outputs.length);
    for (Output<?> o : outputs) {
      all.add((Output<TFloat32>) o);
    }
    return all;
  }

  private Op adam(Ops tf, List<Variable<TFloat32>> vars, List<Output<TFloat32>> grads, Options options,
      Placement near) {
    float decay = options.weightDecay();
    Ops adam = tf.withSubScope("adam");
    // Bias corrections from the step counter, so no extra β-power variables are needed.
    Operand<TFloat32> t =
        adam.dtypes.cast(adam.math.add(step, adam.constant(1L)), TFloat32.class);
    Operand<TFloat32> beta1Power = adam.math.pow(adam.constant(BETA1), t);
    Operand<TFloat32> beta2Power = adam.math.pow(adam.constant(BETA2), t);
    Operand<TFloat32> beta1 = adam.constant(BETA1);
    Operand<TFloat32> beta2 = adam.constant(BETA2);
    Operand<TFloat32> epsilon = adam.constant(EPSILON);

    // Every update waits for the whole backward pass: a kernel updated while the backward pass of
    // the layer below still reads it would make a step depend on thread timing.
    Op gradientsDone = adam.withControlDependencies(new ArrayList<Op>(grads)).noOp();

    List<Op> updates = new ArrayList<>(net.updates());
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> v = vars.get(i);
      Ops at = near.near(adam, v);
      Ops apply = at.withControlDependencies(List.of(gradientsDone));
      Operand<TFloat32> g = grads.get(i);
      Ops update = apply;
      if (decay > 0 && isKernel(v) && options.decoupled()) {
        // The shrink reads and writes v before Adam's update does: one order, whatever the threads.
        Op shrunk = apply.assignSub(v, apply.math.mul(apply.math.mul(learningRate, at.constant(decay)), v));
        update = at.withControlDependencies(List.of(shrunk));
      } else if (decay > 0 && isKernel(v)) {
        g = at.math.add(g, at.math.mul(at.constant(decay), v));
      }
      String slot = v.op().name().replace('/', '_');
      Operand<TFloat32> zeros = at.fill(at.constant(v.shape()), at.constant(0f));
      Variable<TFloat32> m = at.withName(slot + "_m").variable(zeros);
      Variable<TFloat32> vv = at.withName(slot + "_v").variable(zeros);
      updates.add(
          update.train.applyAdam(
              v, m, vv, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, g));
    }
    if (ema != null) {
      updates = List.of(ema.update(tf.withControlDependencies(updates), step, options.emaDecay()));
    }
    return near.first(tf).withControlDependencies(updates).withName(Names.TRAIN_OP).assignAdd(step, tf.constant(1L));
  }

  private static boolean isKernel(Variable<TFloat32> v) {
    return v.op().name().endsWith("/w");
  }
}
