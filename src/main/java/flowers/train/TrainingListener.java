package flowers.train;

/**
 * Everything around the loop that watches it: console progress, TensorBoard logs, the history
 * the run report is drawn from. The loop itself stays short.
 */
public interface TrainingListener {

  /** @param plannedSteps steps of the whole run (all epochs); the run may stop earlier */
  record Start(long step, int epoch, int epochs, int stepsPerEpoch, long plannedSteps, int batchSize,
      org.tensorflow.Graph graph) {}

  /** One optimizer step. */
  record Step(long step, int epoch, int stepInEpoch, int stepsPerEpoch, double loss, double accuracy,
      float learningRate, int images, double seconds) {}

  /** The end of an epoch; validation numbers are NaN without a validation split. */
  record Epoch(int epoch, int epochs, long step, double trainLoss, double trainAccuracy, double valTop1,
      double valTop5, double valLoss, long valImages, double seconds) {}

  default void onStart(Start start) {}

  default void onStep(Step step) {}

  default void onEpoch(Epoch epoch) {}

  default void onEnd(TrainResult result) {}
}
