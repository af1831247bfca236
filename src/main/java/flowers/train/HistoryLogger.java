package flowers.train;

import flowers.runlog.History;
import java.nio.file.Path;

/** The run's {@link History}, written as it trains: the listener side of {@code history.jsonl}. */
public final class HistoryLogger implements TrainingListener, AutoCloseable {
  private final History history;

  public HistoryLogger(Path checkpointDir) {
    history = new History(checkpointDir);
  }

  @Override
  public void onStep(Step s) {
    history.step(new History.StepPoint(s.step(), s.epoch(), s.loss(), s.accuracy(), s.learningRate()));
  }

  @Override
  public void onEpoch(Epoch e) {
    history.epoch(new History.EpochPoint(e.epoch(), e.step(), e.trainLoss(), e.trainAccuracy(), e.valTop1(),
        e.valTop5(), e.valLoss()));
  }

  @Override
  public void close() {
    history.close();
  }
}
