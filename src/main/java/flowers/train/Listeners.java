package flowers.train;

import java.util.ArrayList;
import java.util.List;

/** The run's listeners as one: each event to each in order; closed together when the run ends, however it ends. */
final class Listeners implements TrainingListener, AutoCloseable {
  private final List<TrainingListener> all;

  Listeners(List<TrainingListener> all) {
    this.all = new ArrayList<>(all);
  }

  @Override
  public void onStart(Start start) {
    all.forEach(l -> l.onStart(start));
  }

  @Override
  public void onStep(Step step) {
    all.forEach(l -> l.onStep(step));
  }

  @Override
  public void onEpoch(Epoch epoch) {
    all.forEach(l -> l.onEpoch(epoch));
  }

  @Override
  public void onStop(Stop stop) {
    all.forEach(l -> l.onStop(stop));
  }

  @Override
  public void onEnd(TrainResult result) {
    all.forEach(l -> l.onEnd(result));
  }

  /** Closes every listener that holds files; the first failure is thrown once all were tried. */
  @Override
  public void close() {
    RuntimeException failed = null;
    for (TrainingListener l : all) {
      if (l instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
          if (failed == null) {
            failed = r;
          } else {
            failed.addSuppressed(r);
          }
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
