package flowers.train;

/** The run's best validation top-1, and for how many epochs it has not improved. */
final class BestTracker implements TrainingListener {
  private double best;
  private int epochsWithoutBest;

  /** @param best the run's best so far (resumed); NaN when none */
  BestTracker(double best) {
    this.best = best;
  }

  /** The best validation top-1; NaN before the first validation. */
  double best() {
    return best;
  }

  /** Epochs since the best one; an epoch without validation counts as one without a better top-1. */
  int epochsWithoutBest() {
    return epochsWithoutBest;
  }

  @Override
  public void onEpoch(Epoch e) {
    if (!Double.isNaN(e.valTop1()) && !(e.valTop1() <= best)) {
      best = e.valTop1();
      epochsWithoutBest = 0;
    } else {
      epochsWithoutBest++;
    }
  }
}
