package flowers.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs a network in bf16 and in fp32 on the same weights and the same probe batch and says whether
 * the bf16 numbers can be trusted on this machine (SPEC §7).
 *
 * <p>Why: oneDNN picks its kernels per CPU, and on some CPUs of one kind the bf16 kernel it picks
 * for a shape computes garbage (TF 2.18's {@code brg_conv_fwd:avx512_core_bf16} for the 3-channel
 * 7×7 conv1 on a Zen 5 VM: errors of 37 on outputs of 6), where the same build on another CPU is
 * right. Only a comparison on the user's machine tells.
 *
 * <p>The thresholds, from what a correct bf16 gives (AMD EPYC, cpu family 25 model 17; 32–224 px,
 * seeds 1–9, one probe image) against what a wrong kernel gives:
 *
 * <ul>
 *   <li>logits: relative RMS error ≤ {@value #MAX_OUTPUT_ERROR}. Measured: 0.003–0.009, and
 *       0.003–0.008 at every layer's output (bf16 keeps 8 significant bits: one rounding is 0.4 %).
 *   <li>gradients, when the probe has them, each variable's: cosine with fp32's ≥
 *       {@value #MIN_GRADIENT_COSINE} and norm within a factor {@value #MAX_GRADIENT_NORM_RATIO}.
 *       Measured: cosine ≥ 0.995 at 224 px but down to 0.72 at 32 px, norm ratio 0.82–1.30. Relative
 *       error is no use here: a gradient is a sum over few pixels at 32 px, and its bf16 error
 *       reaches 0.84 of its size on a correct machine while its direction stays right.
 * </ul>
 *
 * A wrong kernel gives output errors of the order of the values (relative ≥ 1), and gradients that
 * point elsewhere (cosine near 0 or negative), vanish or blow up.
 */
public final class Bf16Check {
  private Bf16Check() {}

  public static final double MAX_OUTPUT_ERROR = 0.05;
  public static final double MIN_GRADIENT_COSINE = 0.5;
  public static final double MAX_GRADIENT_NORM_RATIO = 2.0;

  /** Images in the probe batch: more costs time at 224 px and found nothing more. */
  static final int PROBE_IMAGES = 1;

  /**
   * Test hook (a system property, so that a whole CLI run can be given a wrong bf16 path): when set,
   * every value the bf16 side of the check computes comes out as 2x + 1, as from a wrong kernel.
   */
  public static final String FAULT_PROPERTY = "flowers.bf16check.fault";

  /**
   * What to run and compare.
   *
   * @param images float32 {@code [-1,S,S,3]} RGB 0–255 input
   * @param labels int32 {@code [-1]} class ids for the gradients; null for an inference-only probe
   * @param logits compared with {@link #MAX_OUTPUT_ERROR}
   * @param gradients variable name → d loss / d variable, compared by direction and size; empty for
   *     inference
   */
  public record Probe(Output<TFloat32> images, Output<TInt32> labels, Output<TFloat32> logits,
      Map<String, Output<TFloat32>> gradients) {
    public Probe {
      gradients = Map.copyOf(gradients);
    }

    int imageSize() {
      return (int) images.shape().get(1);
    }
  }

  /**
   * @param passed every compared value within its threshold
   * @param logitError relative RMS error of the logits
   * @param gradientCosine the lowest cosine between a bf16 and an fp32 gradient (1 without gradients)
   * @param gradientNormRatio that gradient's bf16 norm over its fp32 norm
   * @param worstGradient the variable whose gradient is furthest off (null without gradients)
   * @param culprit when failed: the first layer whose output is off, or what was compared
   * @param culpritError when failed: that layer's largest absolute difference
   * @param culpritScale when failed: that layer's largest absolute fp32 value
   * @param seconds what the check cost, fp32 reference session included
   */
  public record Verdict(boolean passed, double logitError, double gradientCosine, double gradientNormRatio,
      String worstGradient,
      String culprit, double culpritError, double culpritScale, double seconds) {

    /** The one line a user sees. */
    public String line() {
      if (passed) {
        return String.format(Locale.ROOT, "bf16 verified on this CPU: logit error %.4f%s (%.1f s check)", logitError,
            worstGradient == null ? ""
                : String.format(Locale.ROOT, ", lowest gradient cosine %.3f (%s)", gradientCosine, worstGradient),
            seconds);
      }
      return String.format(Locale.ROOT, "bf16 computes wrong results on this CPU (%s: off by %.3g where fp32 values reach %.3g)",
          culprit, culpritError, culpritScale);
    }
  }

  /**
   * Compares {@code checked}, a session opened in bf16 whose variables hold the weights to use, with
   * an fp32 session on the same graph.
   *
   * @param options the threads and device of the fp32 reference (its precision is ignored)
   */
  public static Verdict run(Graph graph, Session checked, Probe probe, SessionOptions options) {
    long t0 = System.nanoTime();
    List<Output<?>> compared = new ArrayList<>();
    compared.add(probe.logits());
    List<String> gradientNames = new ArrayList<>(probe.gradients().keySet());
    gradientNames.sort(null);
    gradientNames.forEach(n -> compared.add(probe.gradients().get(n)));

    try (Session reference = referenceSession(graph, options);
        // The fp32 side is fed every variable's value in the checked session: the same weights
        // without a second initialisation or restore.
        Weights weights = Weights.read(checked, FrozenGraph.variablesRead(graph, names(compared)))) {
      // Both first runs are mostly TensorFlow's own set-up, single-threaded: run them side by side.
      CompletableFuture<List<float[]>> fp32 =
          CompletableFuture.supplyAsync(() -> fetch(reference, probe, weights, compared, false));
      List<float[]> actual = fetch(checked, probe, null, compared, faultInjected());
      List<float[]> expected = join(fp32);
      double logitError = Closeness.relativeError(actual.get(0), expected.get(0));
      Agreement worst = new Agreement(1, 1);
      String worstName = null;
      for (int i = 0; i < gradientNames.size(); i++) {
        Agreement g = Agreement.of(actual.get(i + 1), expected.get(i + 1));
        if (worstName == null || !g.acceptable() || g.cosine < worst.cosine) {
          worst = g;
          worstName = gradientNames.get(i);
          if (!g.acceptable()) {
            break;
          }
        }
      }
      boolean passed = logitError <= MAX_OUTPUT_ERROR && worst.acceptable();
      if (passed) {
        return new Verdict(true, logitError, worst.cosine, worst.normRatio, worstName, null, 0, 0, seconds(t0));
      }
      Culprit c = firstWrongLayer(graph, checked, reference, probe, weights);
      if (c == null) {
        // Every layer's output is right: the logits or a gradient alone are off.
        boolean logits = !(logitError <= MAX_OUTPUT_ERROR);
        float[] a = logits ? actual.get(0) : actual.get(1 + gradientNames.indexOf(worstName));
        float[] e = logits ? expected.get(0) : expected.get(1 + gradientNames.indexOf(worstName));
        c = new Culprit(logits ? "logits" : "gradient of " + worstName, Closeness.maxDifference(a, e), Closeness.maxAbs(e));
      }
      return new Verdict(false, logitError, worst.cosine, worst.normRatio, worstName, c.name, c.error, c.scale,
          seconds(t0));
    }
  }

  /**
   * Plain fp32 kernels, without Grappler's graph rewrites: they are not needed for the reference
   * numbers, and skipping them halves the cost of its first run (0.9 → 0.4 s at 224 px).
   */
  private static Session referenceSession(Graph graph, SessionOptions options) {
    ConfigProto.Builder config = options.withPrecision(Precision.FP32).config().toBuilder();
    config.getGraphOptionsBuilder().getRewriteOptionsBuilder().setDisableMetaOptimizer(true);
    return Sessions.open(graph, config.build(), options.device());
  }

  private static List<String> names(List<Output<?>> outputs) {
    return outputs.stream().map(o -> o.op().name()).toList();
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** The probe batch: smooth colour waves with a little noise, like photos more than like noise. */
  public static float[] probeImages(int count, int size) {
    float[] px = new float[count * size * size * 3];
    java.util.Random noise = new java.util.Random(7);
    int i = 0;
    for (int b = 0; b < count; b++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          for (int c = 0; c < 3; c++) {
            double wave = Math.sin((x * (c + 1) + y * (b + 2)) * 6.0 / size + c);
            px[i++] = (float) Math.min(255, Math.max(0, 127.5 + 90 * wave + 20 * noise.nextGaussian()));
          }
        }
      }
    }
    return px;
  }

  private static boolean faultInjected() {
    return System.getProperty(FAULT_PROPERTY) != null;
  }

  private static List<float[]> fetch(Session session, Probe probe, Weights weights, List<Output<?>> outputs,
      boolean fault) {
    int size = probe.imageSize();
    float[] px = probeImages(PROBE_IMAGES, size);
    int[] labels = new int[PROBE_IMAGES];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i;
    }
    try (TFloat32 x = Tensors.images(px, PROBE_IMAGES, size); TInt32 y = Tensors.labels(labels, PROBE_IMAGES)) {
      Session.Runner runner = session.runner().feed(probe.images(), x);
      if (probe.labels() != null) {
        runner.feed(probe.labels(), y);
      }
      if (weights != null) {
        weights.feed(runner);
      }
      outputs.forEach(runner::fetch);
      List<float[]> values = new ArrayList<>(outputs.size());
      try (Result r = runner.run()) {
        for (int i = 0; i < outputs.size(); i++) {
          float[] v = Tensors.toArray((TFloat32) r.get(i));
          if (fault) {
            for (int j = 0; j < v.length; j++) {
              v[j] = 2 * v[j] + 1;
            }
          }
          values.add(v);
        }
      }
      return values;
    }
  }

  private record Culprit(String name, double error, double scale) {}

  /**
   * Every ReLU output in graph order (the order layers were built), compared until one is off.
   * Only on failure: fetching inner outputs would change what the fast path fuses and costs a run.
   */
  private static Culprit firstWrongLayer(Graph graph, Session checked, Session reference, Probe probe, Weights weights) {
    Map<String, Output<?>> layers = new LinkedHashMap<>();
    var ops = graph.operations();
    while (ops.hasNext()) {
      GraphOperation op = (GraphOperation) ops.next();
      if (op.type().equals("Relu")) {
        layers.put(op.name().endsWith("/Relu") ? op.name().substring(0, op.name().length() - 5) : op.name(),
            op.output(0));
      }
    }
    if (layers.isEmpty()) {
      return null;
    }
    List<Output<?>> outputs = new ArrayList<>(layers.values());
    List<float[]> expected = fetch(reference, probe, weights, outputs, false);
    List<float[]> actual = fetch(checked, probe, null, outputs, faultInjected());
    List<String> names = new ArrayList<>(layers.keySet());
    for (int i = 0; i < outputs.size(); i++) {
      if (!(Closeness.relativeError(actual.get(i), expected.get(i)) <= MAX_OUTPUT_ERROR)) {
        return new Culprit(names.get(i), Closeness.maxDifference(actual.get(i), expected.get(i)), Closeness.maxAbs(expected.get(i)));
      }
    }
    return null;
  }

  /** How a bf16 gradient compares with the fp32 one: direction and size. */
  record Agreement(double cosine, double normRatio) {
    static Agreement of(float[] a, float[] e) {
      double dot = 0;
      double aa = 0;
      double ee = 0;
      for (int i = 0; i < e.length; i++) {
        dot += (double) a[i] * e[i];
        aa += (double) a[i] * a[i];
        ee += (double) e[i] * e[i];
      }
      if (ee == 0) {
        // A unit dead for this probe in fp32: nothing to compare it with.
        return Double.isFinite(aa) ? new Agreement(1, 1) : new Agreement(Double.NaN, Double.NaN);
      }
      return new Agreement(aa == 0 ? 0 : dot / Math.sqrt(aa * ee), Math.sqrt(aa / ee));
    }

    /** False for NaN too. */
    boolean acceptable() {
      return cosine >= MIN_GRADIENT_COSINE && normRatio <= MAX_GRADIENT_NORM_RATIO
          && normRatio >= 1 / MAX_GRADIENT_NORM_RATIO;
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Variable values read from one session, to be fed into another. */
  private static final class Weights implements AutoCloseable {
    private final List<String> variables;
    private final Result values; // null when there are no variables

    private Weights(List<String> variables, Result values) {
      this.variables = variables;
      this.values = values;
    }

    static Weights read(Session session, List<String> variables) {
      if (variables.isEmpty()) {
        return new Weights(variables, null);
      }
      Session.Runner runner = session.runner();
      variables.forEach(runner::fetch);
      return new Weights(variables, runner.run());
    }

    void feed(Session.Runner runner) {
      for (int i = 0; i < variables.size(); i++) {
        runner.feed(variables.get(i), values.get(i));
      }
    }

    @Override
    public void close() {
      if (values != null) {
        values.close();
      }
    }
  }
}
