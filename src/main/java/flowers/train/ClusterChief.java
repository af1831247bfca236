package flowers.train;

import flowers.checkpoint.CheckpointMetadata;
import flowers.cluster.ClusterException;
import flowers.cluster.Reachability;
import flowers.cluster.TfConfig;
import flowers.tf.Messages;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.RunOptions;

/**
 * The chief's part of a run on a cluster ({@link Trainer.Cluster}): the plan told to every other
 * task before the loop, each step under a deadline, and the end told to them all.
 */
final class ClusterChief {
  private final Trainer.Cluster cluster;
  private final ClusterControl control;

  private ClusterChief(Trainer.Cluster cluster, ClusterControl control) {
    this.cluster = cluster;
    this.control = control;
  }

  /** Tells every other task the run's plan, from {@code epoch} on at {@code position}. */
  static ClusterChief start(Trainer.Cluster cluster, RunSetup setup, TrainingSession ts, int epoch, int position,
      PrintStream out) {
    TrainConfig config = setup.config();
    ClusterControl control = new ClusterControl(ts.graph(), cluster.config());
    control.tellAll(ts.session(), new ClusterPlan(setup.seed(), setup.valFraction(), setup.split().rule().id,
        setup.split().fileListHash(), config.imageSize(), config.batchSize(), setup.workers(), epoch, position,
        config.epochs(), config.augment().name().toLowerCase(), config.sampling().toString(),
        setup.split().sides(setup.folder().root())).toJson());
    out.printf("training on %d workers (global batch %d×%d)%n", setup.workers(), config.batchSize(), setup.workers());
    return new ClusterChief(cluster, control);
  }

  /** The training step over every worker's tower, which counts the step's images itself. */
  TrainStep trainStep(TrainingSession ts, int imageSize, Supplier<CheckpointMetadata> last) {
    return new TrainStep(ts.session(), ts.t(), imageSize, ReplicatedTrainingGraph.imagesInStep(ts.graph()),
        (runner, step) -> run(runner, step, last.get()));
  }

  /**
   * One step on the cluster. A task that died fails the step (or the step times out): say which,
   * and keep the last good checkpoint, which every task restarted resumes from.
   */
  private Result run(Session.Runner runner, long step, CheckpointMetadata last) {
    try {
      // A step can wait on a worker's queue; a per-run deadline bounds that wait whatever the
      // session's own options do, so a hung worker ends the run within --cluster-timeout.
      return runner.setOptions(RunOptions.newBuilder().setTimeoutInMs(cluster.timeout().toMillis()).build()).run();
    } catch (RuntimeException e) {
      List<TfConfig.Task> down = Reachability.down(cluster.config(), cluster.config().others());
      // Every task still answering: the step itself failed (or timed out), not the cluster.
      String what = down.isEmpty() ? "step " + step + " failed on the cluster" : "lost " + down.stream()
          .map(task -> task + " (" + cluster.config().address(task) + ")").collect(Collectors.joining(", "))
          + " at step " + step;
      throw new ClusterException(what + ": " + Messages.firstLine(e) + "; "
          + (last == null ? "no checkpoint yet" : "last good checkpoint " + last.name())
          + ": restart every task to resume", e);
    }
  }

  /** The run is over: every task may exit 0. */
  void finish(Session session) {
    control.finish(session);
  }
}
