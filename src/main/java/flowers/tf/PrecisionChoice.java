package flowers.tf;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * Opens what a command runs on in the precision asked for, using bf16 only where {@link Bf16Check}
 * passes on this machine.
 *
 * <ul>
 *   <li>{@code fp32}: no check.
 *   <li>{@code bf16} or {@code auto}: bf16 as built; if the check fails and the caller has an exact
 *       rewrite that avoids the known-bad kernel, bf16 with it. If that fails too, {@code auto} says
 *       so in one line and runs fp32; {@code bf16} stops with a {@link PrecisionException}: never
 *       train or predict on wrong numbers.
 * </ul>
 */
public final class PrecisionChoice {
  private PrecisionChoice() {}

  /**
   * One way to build.
   *
   * @param rewrite build with the caller's exact rewrite that avoids a known-bad bf16 kernel
   */
  public record Attempt(Precision precision, boolean rewrite) {}

  /** A graph and its session, ready to run (weights in place), and what to check them with. */
  public interface Built extends AutoCloseable {
    Graph graph();

    Session session();

    Bf16Check.Probe probe();

    @Override
    void close();
  }

  /**
   * @param built what runs, the caller closes it
   * @param precision the arithmetic it runs in: {@link Precision#FP32} or {@link Precision#BF16}
   * @param rewrite whether the rewrite was needed
   * @param verdict the check's result; null when none ran (fp32 asked for)
   */
  public record Opened<B extends Built>(B built, Precision precision, boolean rewrite, Bf16Check.Verdict verdict) {}

  /**
   * @param options the request ({@link SessionOptions#precision()}) and the threads and device
   * @param rewriteName what the rewrite does, for the user ("conv1 on 4 channels"); null when the
   *     caller has none
   * @param build builds and opens one attempt; called at most three times, earlier results closed
   * @param log receives the one line that says what was decided
   * @throws PrecisionException when bf16 was asked for explicitly and computes wrong results here
   */
  public static <B extends Built> Opened<B> open(SessionOptions options, String rewriteName,
      Function<Attempt, B> build, Consumer<String> log) {
    if (options.precision() == Precision.FP32) {
      return new Opened<>(build.apply(new Attempt(Precision.FP32, false)), Precision.FP32, false, null);
    }
    Bf16Check.Verdict first = null;
    for (boolean rewrite : rewriteName == null ? List.of(false) : List.of(false, true)) {
      B b = build.apply(new Attempt(Precision.BF16, rewrite));
      Bf16Check.Verdict v;
      try {
        v = Bf16Check.run(b.graph(), b.session(), b.probe(), options);
      } catch (RuntimeException e) {
        b.close();
        throw e;
      }
      if (v.passed()) {
        log.accept(v.line() + (rewrite ? " (with " + rewriteName + "; as built: " + first.line() + ")" : ""));
        return new Opened<>(b, Precision.BF16, rewrite, v);
      }
      b.close();
      if (first == null) {
        first = v;
      }
    }
    String why = first.line() + (rewriteName == null ? "" : ", and with " + rewriteName + " too");
    if (options.precision() == Precision.BF16) {
      throw new PrecisionException(why + ": run with --precision fp32 (or auto)");
    }
    log.accept(why + ": using fp32");
    return new Opened<>(build.apply(new Attempt(Precision.FP32, false)), Precision.FP32, false, first);
  }

  /** bf16 asked for explicitly where it computes wrong results: one line, exit 1. */
  public static final class PrecisionException extends IllegalStateException {
    public PrecisionException(String message) {
      super(message);
    }
  }
}
