package flowers.train;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.data.Split;
import flowers.model.ModelConfig;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Session;

/**
 * Saves the run's checkpoints, all through {@link #save}: every {@code --save-every} steps within
 * an epoch, at each epoch's end (with its validation), and where the loop stopped when that step
 * has none yet (a signal, {@code --max-steps}, a listener's stop).
 */
final class Checkpointer implements TrainingListener {
  private final CheckpointManager checkpoints;
  private final Session session;
  private final ModelConfig model;
  private final Split split;
  private final String runId;
  private final TrainConfig config;
  private final PrintStream out;
  private final Consumer<String> warn;
  /** The calibration of the latest validation, saved with every checkpoint until the next (1 = none yet). */
  private double temperature;
  /** The "unknown" threshold of the latest validation, saved alongside (NaN = none yet). */
  private double minConfidence;
  private CheckpointMetadata last;
  /** The latest step's loss: what a checkpoint records as its train loss, at an epoch's end too. */
  private double lastLoss = Double.NaN;

  Checkpointer(RunSetup setup, Session session, PrintStream out, Consumer<String> warn) {
    this.checkpoints = setup.checkpoints();
    this.session = session;
    this.model = setup.model();
    this.split = setup.split();
    this.runId = setup.runId();
    this.config = setup.config();
    this.out = out;
    this.warn = warn;
    CheckpointMetadata resumed = setup.resumeFrom();
    this.last = resumed;
    this.temperature = resumed != null ? resumed.temperature() : 1;
    this.minConfidence = resumed != null ? resumed.minConfidence() : Double.NaN;
  }

  /** The latest checkpoint saved (or resumed from); null when none. */
  CheckpointMetadata last() {
    return last;
  }

  @Override
  public void onStep(Step s) {
    lastLoss = s.loss();
    // The epoch's own save follows its last step.
    if (!s.endsEpoch() && s.step() % config.saveEvery() == 0) {
      save(s.step(), s.epoch(), s.stepInEpoch(), s.imagesInEpoch(), s.loss(), Double.NaN);
    }
  }

  @Override
  public void onEpoch(Epoch e) {
    if (e.validation() != null) {
      temperature = e.validation().temperature();
      minConfidence = e.validation().minConfidence();
    }
    save(e.step(), e.epoch() + 1, 0, 0, lastLoss, e.valTop1());
  }

  @Override
  public void onStop(Stop s) {
    if (last == null || last.step() != s.step()) {
      save(s.step(), s.epoch(), s.stepInEpoch(), s.imagesInEpoch(), s.loss(), Double.NaN);
    }
    if (s.reason() == StopReason.SIGNAL && last != null) {
      out.println("stopped by signal: saved " + last.name() + " at step " + s.step());
    }
  }

  private void save(long step, int epoch, int stepInEpoch, int imagesInEpoch, double loss, double valTop1) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train_loss", loss);
    if (!Double.isNaN(valTop1)) {
      metrics.put(CheckpointMetadata.VAL_TOP1, valTop1);
    }
    if (temperature != 1) {
      metrics.put(CheckpointMetadata.TEMPERATURE, temperature);
    }
    if (!Double.isNaN(minConfidence)) {
      metrics.put(CheckpointMetadata.MIN_CONFIDENCE, minConfidence);
    }
    CheckpointMetadata meta = CheckpointMetadata.builder().step(step).epoch(epoch).stepInEpoch(stepInEpoch)
        .model(model).seed(model.seed()).classNames(split.classNames()).valFraction(split.valFraction())
        .fileListHash(split.fileListHash()).splitRule(split.rule().id).metrics(metrics)
        .run(runId, imagesInEpoch, RunStart.tree(config)).build();
    try {
      last = checkpoints.save(session, meta);
    } catch (RuntimeException e) {
      // Training state is still in memory: keep going and try again at the next save.
      warn.accept(e.getMessage());
    }
  }
}
