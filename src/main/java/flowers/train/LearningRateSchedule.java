package flowers.train;

import java.util.Locale;

/**
 * Learning rate as a function of the step, fed to the graph every step.
 *
 * @param kind {@code cosine}: linear warm-up then cosine decay to 0 at {@code totalSteps};
 *     {@code step}: warm-up then ×{@code gamma} every {@code stepEvery} steps; {@code constant}
 */
public record LearningRateSchedule(
    Kind kind, float base, long warmupSteps, long totalSteps, long stepEvery, float gamma) {

  public enum Kind {
    COSINE,
    STEP,
    CONSTANT;

    public static Kind parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--schedule must be cosine, step or constant, got '" + s + "'");
      }
    }
  }

  public LearningRateSchedule {
    if (!(base > 0)) {
      throw new IllegalArgumentException("--learning-rate must be > 0, got " + base);
    }
  }

  public float at(long step) {
    if (step < warmupSteps) {
      return base * (step + 1) / (float) warmupSteps;
    }
    return switch (kind) {
      case CONSTANT -> base;
      case STEP -> base * (float) Math.pow(gamma, (step - warmupSteps) / Math.max(1, stepEvery));
      case COSINE -> {
        long span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) span);
        yield (float) (base * 0.5 * (1 + Math.cos(Math.PI * progress)));
      }
    };
  }
}
