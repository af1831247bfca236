package flowers.train;

import java.io.PrintStream;

/** Stops the run when validation top-1 has not improved for {@code --early-stop} epochs. */
final class EarlyStopping implements TrainingListener {
  private final int patience;
  private final BestTracker best;
  private final PrintStream out;

  /** @param best called before this listener at each epoch's end */
  EarlyStopping(int patience, BestTracker best, PrintStream out) {
    this.patience = patience;
    this.best = best;
    this.out = out;
  }

  @Override
  public void onEpoch(Epoch e) {
    if (patience > 0 && best.epochsWithoutBest() >= patience) {
      out.printf("early stop: no better validation top-1 for %d epochs (best %s)%n", best.epochsWithoutBest(),
          ConsoleProgress.formatTop1(best.best()));
      e.control().stop(StopReason.EARLY_STOP);
    }
  }
}
