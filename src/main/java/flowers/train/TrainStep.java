package flowers.train;

import flowers.data.Batch;
import flowers.tf.Tensors;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One optimizer step: feed images, labels and the learning rate, run the train op, fetch the loss
 * and the batch accuracy. What {@code train} and {@code bench} both run, so the bench measures the
 * step that trains.
 */
public final class TrainStep {

  /** Runs the prepared step: plainly in one process; on a cluster with a deadline and a diagnosis. */
  @FunctionalInterface
  public interface Execution {
    Result run(Session.Runner runner, long step);
  }

  /**
   * @param images the step's images: the batch's in one process, every worker's on a cluster
   * @param seconds the step's time, its tensors made and freed included
   */
  public record Outcome(double loss, double accuracy, int images, double seconds) {}

  private final Session session;
  private final TrainingGraph t;
  private final int imageSize;
  /** The cluster's count of the step's images over every worker; null in one process. */
  private final Output<TFloat32> imagesInStep;
  private final Execution execution;

  /** The step in this process. */
  public TrainStep(Session session, TrainingGraph t, int imageSize) {
    this(session, t, imageSize, null, (runner, step) -> runner.run());
  }

  /** @param imagesInStep fetched as the step's image count when not null (the cluster's towers) */
  TrainStep(Session session, TrainingGraph t, int imageSize, Output<TFloat32> imagesInStep, Execution execution) {
    this.session = session;
    this.t = t;
    this.imageSize = imageSize;
    this.imagesInStep = imagesInStep;
    this.execution = execution;
  }

  /** A step on a decoded batch. */
  public Outcome run(Batch batch, float learningRate, long step) {
    long t0 = System.nanoTime();
    Outcome o;
    try (TFloat32 x = Tensors.images(batch.images(), batch.size(), imageSize);
        TInt32 y = Tensors.labels(batch.labels(), batch.size());
        TFloat32 rate = TFloat32.scalarOf(learningRate)) {
      o = run(x, y, rate, step);
    }
    return new Outcome(o.loss(), o.accuracy(), o.images(), (System.nanoTime() - t0) / 1e9);
  }

  /** A step on tensors the caller owns (the bench feeds the same ones again and again). */
  public Outcome run(TFloat32 images, TInt32 labels, TFloat32 learningRate, long step) {
    long t0 = System.nanoTime();
    Session.Runner runner = session.runner()
        .feed(t.images, images).feed(t.labels, labels).feed(t.learningRate, learningRate)
        .addTarget(t.trainOp).fetch(t.loss).fetch(t.accuracy);
    if (imagesInStep != null) {
      runner.fetch(imagesInStep);
    }
    try (Result r = execution.run(runner, step)) {
      int count = imagesInStep == null ? (int) images.shape().get(0) : (int) ((TFloat32) r.get(2)).getFloat();
      return new Outcome(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(), count,
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
