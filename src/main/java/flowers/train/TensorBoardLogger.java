package flowers.train;

import flowers.runlog.EventFileWriter;
import java.nio.file.Path;

/**
 * Scalars for TensorBoard under {@code <checkpoint-dir>/logs/train} (per step) and {@code logs/val}
 * (per epoch), and the graph once: {@code tensorboard --logdir checkpoints/logs}.
 */
public final class TensorBoardLogger implements TrainingListener, AutoCloseable {
  private final EventFileWriter train;
  private final EventFileWriter val;

  public TensorBoardLogger(Path logDir) {
    train = new EventFileWriter(logDir.resolve("train"));
    val = new EventFileWriter(logDir.resolve("val"));
  }

  @Override
  public void onStart(Start start) {
    if (start.step() == 0) {
      train.graph(start.graph().toGraphDef());
    }
  }

  @Override
  public void onStep(Step s) {
    train.scalar("loss", s.step(), s.loss());
    train.scalar("top1", s.step(), s.accuracy());
    train.scalar("learning_rate", s.step(), s.learningRate());
    train.scalar("img_per_s", s.step(), s.images() / Math.max(1e-9, s.seconds()));
    train.scalar("rss_mb", s.step(), flowers.tf.Memory.rssMb());
  }

  @Override
  public void onEpoch(Epoch e) {
    train.scalar("epoch_loss", e.step(), e.trainLoss());
    train.scalar("epoch_top1", e.step(), e.trainAccuracy());
    train.flush();
    if (!Double.isNaN(e.valTop1())) {
      val.scalar("top1", e.step(), e.valTop1());
      val.scalar("top5", e.step(), e.valTop5());
      val.scalar("loss", e.step(), e.valLoss());
      val.flush();
    }
  }

  @Override
  public void close() {
    train.close();
    val.close();
  }
}
