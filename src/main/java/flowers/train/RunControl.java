package flowers.train;

/**
 * How a listener asks the loop to stop, as Keras' {@code model.stop_training}: the loop looks after
 * every step and every epoch, and the first reason asked for is the run's.
 */
public final class RunControl {
  private final StopSignal signal;
  private StopReason requested;

  RunControl(StopSignal signal) {
    this.signal = signal;
  }

  /** Stops the run after this step (or epoch); the checkpoint listener saves where it stopped. */
  public void stop(StopReason why) {
    if (requested == null) {
      requested = why;
    }
  }

  /** The reason a listener asked for; null while none did. */
  public StopReason requested() {
    return requested;
  }

  /** After a step: a listener's reason, else a signal's; null to go on. */
  StopReason afterStep() {
    return requested != null ? requested : signal.requested() ? StopReason.SIGNAL : null;
  }

  /** After an epoch: a listener's reason (early stop), then {@code --max-steps}, then a signal. */
  StopReason afterEpoch(boolean atMaxSteps) {
    return requested != null ? requested
        : atMaxSteps ? StopReason.MAX_STEPS : signal.requested() ? StopReason.SIGNAL : null;
  }
}
