package flowers.train;

import flowers.checkpoint.CheckpointException;
import flowers.checkpoint.CheckpointMetadata;
import flowers.cluster.TfConfig;
import flowers.data.Batch;
import flowers.data.BatchLoader;
import flowers.tf.Precision;
import flowers.tf.PrecisionChoice;
import flowers.train.TrainingListener.Epoch;
import flowers.train.TrainingListener.Start;
import flowers.train.TrainingListener.Step;
import flowers.train.TrainingListener.Stop;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code train} command: set the run up ({@link RunSetup}), open its session, loop over the
 * epochs' batches, finish. Everything around the loop is a {@link TrainingListener}: progress,
 * TensorBoard, history, checkpoints, the best validation, early stopping, the divergence guard.
 */
public final class Trainer {

  /** Files and folders a run writes into its checkpoint folder besides checkpoints and history. */
  public static final String TRAIN_CONFIG = "train-config.json";
  public static final String LOGS = "logs";
  public static final String REPORT = "report";

  private final TrainConfig given;
  private final Set<String> typed;
  private final PrintStream out;
  private final Consumer<String> warn;
  private final StopSignal stop;
  /** The cluster this process is the chief of; null trains in this process alone. */
  private final Cluster cluster;
  /** The caller's listeners, called after the trainer's own. */
  private final List<TrainingListener> added = new ArrayList<>();

  /** Every option of {@code config} counts as given: on resume, each one that differs changes or is refused. */
  public Trainer(TrainConfig config, PrintStream out, Consumer<String> warn, StopSignal stop) {
    this(config, null, out, warn, stop);
  }

  /**
   * @param typed the flags the user typed (e.g. {@code --epochs}); on resume the others take the
   *     run's values rather than their defaults. Null: all of them.
   */
  public Trainer(TrainConfig config, Set<String> typed, PrintStream out, Consumer<String> warn, StopSignal stop) {
    this(config, typed, out, warn, stop, null);
  }

  /** The chief of a cluster ({@code TF_CONFIG}) and how long it waits for a task. */
  public record Cluster(TfConfig config, Duration timeout) {}

  /** @param cluster the cluster this process is the chief of; null: train in this process alone */
  public Trainer(TrainConfig config, Set<String> typed, PrintStream out, Consumer<String> warn, StopSignal stop,
      Cluster cluster) {
    this.cluster = cluster;
    this.given = config;
    this.typed = typed;
    this.out = out;
    this.warn = warn;
    this.stop = stop;
  }

  /** Adds a listener, called after the trainer's own (which have saved and validated by then). */
  public Trainer addListener(TrainingListener listener) {
    added.add(listener);
    return this;
  }

  public TrainResult run() {
    long started = System.nanoTime();
    RunSetup setup = RunSetup.prepare(given, typed, cluster == null ? 1 : cluster.config().workers().size(), out, warn);
    TrainConfig config = setup.config();
    PrecisionChoice.Opened<TrainingSession> opened = setup.open(cluster, out);
    try (TrainingSession ts = opened.built(); BatchLoader train = setup.trainLoader();
        BatchLoader val = setup.valLoader()) {
      long step = setup.begin(ts, opened.precision(), out);
      int epoch = setup.startEpoch();
      int position = setup.startPosition();
      int stepInEpoch = (position + setup.batchSize() - 1) / setup.batchSize();
      ClusterChief chief = cluster == null ? null : ClusterChief.start(cluster, setup, ts, epoch, position, out);
      Checkpointer checkpointer = new Checkpointer(setup, ts.session(), out, warn);
      TrainStep trainStep = chief == null ? new TrainStep(ts.session(), ts.t(), config.imageSize())
          : chief.trainStep(ts, config.imageSize(), checkpointer::last);
      RunControl control = new RunControl(stop);
      Totals totals = new Totals(started, step, setup);
      try (Listeners listeners = listeners(setup, opened.precision(), checkpointer, totals)) {
        listeners.onStart(new Start(step, epoch, config.epochs(), setup.stepsPerEpoch(), setup.plannedSteps(),
            config.batchSize(), ts.graph(), control));
        StopReason why = null;
        outer:
        for (; epoch < config.epochs(); epoch++, stepInEpoch = 0, position = 0) {
          totals.startEpoch();
          for (Batch batch : train.epochFrom(epoch, position)) {
            if (atMaxSteps(config, step)) {
              why = StopReason.MAX_STEPS;
              break outer;
            }
            stepInEpoch = batch.stepInEpoch() + 1;
            position = batch.end();
            if (batch.size() == 0 && chief == null) {
              continue; // every file of this batch failed to decode; the warnings said which
            }
            float lr = setup.schedule().at(step);
            TrainStep.Outcome o = trainStep.run(batch, lr, step);
            train.recycle(batch);
            totals.add(o);
            listeners.onStep(new Step(++step, epoch, stepInEpoch, setup.stepsPerEpoch(), o.loss(), o.accuracy(), lr,
                o.images(), o.seconds(), position, position >= setup.split().train().size(), control));
            if ((why = control.afterStep()) != null) {
              break outer;
            }
          }
          // ---- end of epoch: validate; the listeners save, track the best, maybe stop early
          Validation v = setup.split().val().isEmpty() ? null
              : Validation.run(ts.session(), ts.t(), val, setup.folder());
          listeners.onEpoch(totals.endEpoch(epoch, config.epochs(), step, v, control));
          if ((why = control.afterEpoch(atMaxSteps(config, step))) != null) {
            break;
          }
        }
        why = why == null ? StopReason.EPOCHS : why;
        listeners.onStop(new Stop(step, epoch, stepInEpoch, position, totals.lastLoss, why));
        int skipped = train.skippedCount() + val.skippedCount() + setup.folder().skipped().size();
        TrainResult result = finish(setup, ts, chief, checkpointer.last(), totals, step, skipped, why);
        listeners.onEnd(result);
        return result;
      }
    }
  }

  /** After the loop, whose listeners saved where it stopped: the cluster's tasks told, the run's result. */
  private static TrainResult finish(RunSetup setup, TrainingSession ts, ClusterChief chief, CheckpointMetadata last,
      Totals totals, long step, int skipped, StopReason why) {
    if (last == null) {
      throw new CheckpointException("no checkpoint could be saved in " + setup.checkpoints().dir());
    }
    if (chief != null) {
      chief.finish(ts.session());
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - totals.started);
    return new TrainResult(totals.startStep, step, totals.epochsCompleted, totals.lastLoss, totals.valTop1,
        totals.best.best(), last.name(), skipped, totals.images / Math.max(1e-9, elapsed.toNanos() / 1e9), elapsed,
        why, setup.runId(), setup.plan().previousRun());
  }

  private static boolean atMaxSteps(TrainConfig config, long step) {
    return config.maxSteps() > 0 && step >= config.maxSteps();
  }

  /** The trainer's own listeners, in the order that matters, then the caller's. */
  private Listeners listeners(RunSetup setup, Precision precision, Checkpointer checkpointer, Totals totals) {
    TrainConfig config = setup.config();
    BestTracker best = totals.best;
    List<TrainingListener> all = new ArrayList<>(List.of(
        new DivergenceGuard(precision, config.learningRate()), // first: nothing records a NaN step
        new ConsoleProgress(out, config.logEvery(), out == System.out && ConsoleProgress.isTerminal()),
        new TensorBoardLogger(setup.checkpoints().dir().resolve(LOGS)),
        new HistoryLogger(setup.checkpoints().dir()),
        checkpointer, // each epoch's checkpoint records its validation,
        best, // which is then compared with the best,
        new EarlyStopping(config.earlyStopPatience(), best, out))); // which may stop the run
    all.addAll(added);
    return new Listeners(all);
  }

  /** What the loop adds up: over the run (with its best validation), and over the epoch for its event. */
  private static final class Totals {
    final long started;
    final long startStep;
    final BestTracker best;
    long images;
    int epochsCompleted;
    double lastLoss = Double.NaN;
    double valTop1 = Double.NaN;
    private long epochStart;
    private double epochLoss;
    private double epochAccuracy;
    private int epochSteps;

    Totals(long started, long startStep, RunSetup setup) {
      this.started = started;
      this.startStep = startStep;
      // The folder holds this run only (RunStart moved any other aside): its best is this run's.
      this.best = new BestTracker(setup.checkpoints().best().map(CheckpointMetadata::valTop1).orElse(Double.NaN));
    }

    void startEpoch() {
      epochStart = System.nanoTime();
      epochLoss = 0;
      epochAccuracy = 0;
      epochSteps = 0;
    }

    void add(TrainStep.Outcome o) {
      images += o.images();
      lastLoss = o.loss();
      epochLoss += o.loss();
      epochAccuracy += o.accuracy();
      epochSteps++;
    }

    Epoch endEpoch(int epoch, int epochs, long step, Validation v, RunControl control) {
      epochsCompleted++;
      valTop1 = v == null ? Double.NaN : v.matrix().top1();
      return new Epoch(epoch, epochs, step, epochLoss / Math.max(1, epochSteps),
          epochAccuracy / Math.max(1, epochSteps), valTop1, v == null ? Double.NaN : v.matrix().top5(),
          v == null ? Double.NaN : v.matrix().meanLoss(), v == null ? 0 : v.matrix().total(),
          (System.nanoTime() - epochStart) / 1e9, v, control);
    }
  }
}
