package flowers.train;

import java.util.Locale;

/** How {@code --weight-decay} meets Adam. */
public enum Optimizer {
  /** Adam, with the decay as an L2 term in the gradient. */
  ADAM,
  /** AdamW: Adam, with the decay applied to the weights apart from the gradient (decoupled). */
  ADAMW;

  public static Optimizer parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "adam" -> ADAM;
      case "adamw" -> ADAMW;
      default -> throw new IllegalArgumentException("--optimizer must be adam or adamw, got '" + s + "'");
    };
  }
}
