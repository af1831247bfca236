package flowers.train;

/** Why a run ended. {@link #label()} is what the command prints ("stopped by max-steps"). */
public enum StopReason {
  /** Every planned epoch done. */
  EPOCHS("epochs"),
  /** {@code --max-steps} reached. */
  MAX_STEPS("max-steps"),
  /** No better validation top-1 for {@code --early-stop} epochs. */
  EARLY_STOP("early-stop"),
  /** SIGINT/SIGTERM, or {@link StopSignal#request()}: a checkpoint saved, then stopped. */
  SIGNAL("signal"),
  /** A listener added by the caller asked for it ({@link RunControl#stop}). */
  REQUESTED("requested");

  private final String label;

  StopReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
