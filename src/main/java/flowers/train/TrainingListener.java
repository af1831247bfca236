package flowers.train;

/**
 * Everything around the loop: console progress, TensorBoard logs, the history the run report is
 * drawn from, checkpoints, the best validation, early stopping, the divergence guard. The loop
 * itself stays short. Callers add their own with {@link Trainer#addListener}.
 *
 * <p>Listeners are called in the order added, the trainer's own first. One asks the run to stop
 * with {@code control().stop(reason)} in any event: the loop stops after that step or epoch. An
 * exception thrown by a listener ends the run with it.
 */
public interface TrainingListener {

  /** @param plannedSteps steps of the whole run (all epochs); the run may stop earlier */
  record Start(long step, int epoch, int epochs, int stepsPerEpoch, long plannedSteps, int batchSize,
      org.tensorflow.Graph graph, RunControl control) {}

  /**
   * One optimizer step; {@code step} counts it (the first step of a run is step 1).
   *
   * @param imagesInEpoch the epoch's images done after this step, whatever the batch size
   * @param endsEpoch this step was the epoch's last: the epoch's event follows
   */
  record Step(long step, int epoch, int stepInEpoch, int stepsPerEpoch, double loss, double accuracy,
      float learningRate, int images, double seconds, int imagesInEpoch, boolean endsEpoch, RunControl control) {}

  /**
   * The end of an epoch; validation numbers are NaN without a validation split.
   *
   * @param validation the epoch's validation; null without a validation split
   */
  record Epoch(int epoch, int epochs, long step, double trainLoss, double trainAccuracy, double valTop1,
      double valTop5, double valLoss, long valImages, double seconds, Validation validation, RunControl control) {}

  /**
   * The loop is over (before the run's result exists): where it stopped, and why.
   *
   * @param epoch the epoch it stopped in ({@code epochs} when all were done)
   * @param imagesInEpoch that epoch's images done
   */
  record Stop(long step, int epoch, int stepInEpoch, int imagesInEpoch, double loss, StopReason reason) {}

  default void onStart(Start start) {}

  default void onStep(Step step) {}

  default void onEpoch(Epoch epoch) {}

  default void onStop(Stop stop) {}

  default void onEnd(TrainResult result) {}
}
