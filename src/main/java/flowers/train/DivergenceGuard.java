package flowers.train;

import flowers.tf.Precision;

/**
 * Ends the run when the loss stops being a number: every step after it would train on garbage,
 * and the checkpoints since the last good one would hold it. First of the listeners, so nothing
 * records the step.
 */
final class DivergenceGuard implements TrainingListener {
  private final Precision precision;
  private final float learningRate;

  DivergenceGuard(Precision precision, float learningRate) {
    this.precision = precision;
    this.learningRate = learningRate;
  }

  @Override
  public void onStep(Step s) {
    if (!Double.isFinite(s.loss())) {
      throw new IllegalStateException(message(s.loss(), s.step() - 1));
    }
  }

  /**
   * What a NaN loss most likely means. In bf16 the check compared one probe batch; a kernel that is
   * wrong only for the run's batch size, or values beyond bf16's range, would show up here.
   *
   * @param step the steps done before the one that diverged
   */
  String message(double loss, long step) {
    String lr = "lower --learning-rate (now " + learningRate + ")";
    return "the loss became " + loss + " at step " + step
        + (precision == Precision.BF16 ? " in bf16: retry with --precision fp32, or " + lr : ": " + lr);
  }
}
