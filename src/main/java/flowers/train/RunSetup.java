package flowers.train;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.checkpoint.SplitRecord;
import flowers.data.BatchLoader;
import flowers.data.DataCheck;
import flowers.data.DatasetScan;
import flowers.data.ImageFolder;
import flowers.data.LoaderConfig;
import flowers.data.Sampling;
import flowers.data.Split;
import flowers.data.SplitRule;
import flowers.json.Json;
import flowers.model.ModelConfig;
import flowers.tf.Precision;
import flowers.tf.PrecisionChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.function.Consumer;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TInt64;

/**
 * What a run trains on and how, decided before any graph exists: the data (scanned and checked),
 * the run resumed or begun ({@link RunStart}), its split, model, batch and schedule.
 *
 * @param config the run's options: as given, or on resume the run's own with what was typed on top
 * @param folder the images left after the data check
 * @param batchSize a step's images, over every worker
 */
record RunSetup(TrainConfig config, ImageFolder folder, CheckpointManager checkpoints, RunStart.Plan plan,
    long seed, double valFraction, Split split, ModelConfig model, int workers, int batchSize, int stepsPerEpoch,
    long plannedSteps, LearningRateSchedule schedule, float[] classWeights) {

  /** Scans and checks the data, decides the run, and writes what identifies it (train-config.json, the split). */
  static RunSetup prepare(TrainConfig given, Set<String> typed, int workers, PrintStream out, Consumer<String> warn) {
    // ---- data, and the run: resumed, or new (the folder's previous run moved aside)
    ImageFolder folder = DatasetScan.scan(given.dataDir());
    folder.warnSkipped(warn);
    CheckpointManager checkpoints = new CheckpointManager(given.checkpointDir(), given.keep(), warn);
    RunStart.Plan plan = RunStart.decide(given, typed, checkpoints, folder.classNames(), out::println);
    TrainConfig config = plan.config();
    CheckpointMetadata resumeFrom = plan.resumeFrom();
    // The split and the initialisation belong to the run being resumed, not to today's flags.
    long seed = resumeFrom != null ? resumeFrom.seed() : config.seed();
    double valFraction = resumeFrom != null ? resumeFrom.valFraction() : config.valFraction();
    // So is the split rule: a checkpoint from before rules were recorded keeps the old one.
    DataCheck check = DataCheck.run(folder, resumeFrom != null ? resumeFrom.splitRuleOrOld() : SplitRule.CURRENT,
        valFraction, seed, config.loaderThreads(), checkpoints.dir().resolve(DataCheck.CACHE_FILE),
        SplitRecord.sides(checkpoints.dir(), resumeFrom));
    out.println(check.summary());
    check.warnings().forEach(warn);
    SplitRecord.changes(checkpoints.dir(), resumeFrom, folder.root(), check.split()).ifPresent(out::println);
    folder = check.folder();
    Split split = check.split();
    if (split.train().isEmpty()) {
      throw new IllegalArgumentException("no training images left after the validation split in " + config.dataDir());
    }
    ModelConfig model = config.model(folder.classNames().size(), seed);
    int batchSize = config.batchSize() * workers; // a step's images, over every worker
    int stepsPerEpoch = (split.train().size() + batchSize - 1) / batchSize;
    // The schedule spans the planned epochs; --max-steps only cuts the run short, so a run stopped
    // early and resumed follows exactly the same learning rates as one that never stopped.
    long planned = (long) config.epochs() * stepsPerEpoch;
    long warmup = config.warmupSteps() >= 0 ? config.warmupSteps() : Math.max(1, planned / 20);
    LearningRateSchedule schedule =
        new LearningRateSchedule(config.schedule(), config.learningRate(), warmup, planned,
            Math.max(1, planned / 3), 0.1f);
    out.printf("data: %d classes, %d train / %d validation images from %s (%d skipped)%n",
        folder.classNames().size(), split.train().size(), split.val().size(), config.dataDir(),
        folder.skipped().size());
    float[] classWeights = config.classWeights().of(split.train(), folder.classNames().size());
    if (classWeights != null) {
      out.println(ClassWeights.describe(folder.classNames(), classWeights));
    }
    if (config.sampling() == Sampling.BALANCED) {
      out.println(Sampling.describe(split.train(), folder.classNames().size()));
    }
    writeConfig(checkpoints, config, plan.runId());
    try {
      SplitRecord.write(checkpoints.dir(), folder.root(), split);
    } catch (IOException e) {
      warn.accept("could not record the split in " + checkpoints.dir() + ": " + e.getMessage());
    }
    return new RunSetup(config, folder, checkpoints, plan, seed, valFraction, split, model, workers, batchSize,
        stepsPerEpoch, planned, schedule, classWeights);
  }

  CheckpointMetadata resumeFrom() {
    return plan.resumeFrom();
  }

  String runId() {
    return plan.runId();
  }

  /** The graph and its session, weights in place (restored or new), in the precision this machine computes right. */
  PrecisionChoice.Opened<TrainingSession> open(Trainer.Cluster cluster, PrintStream out) {
    CheckpointMetadata resumeFrom = resumeFrom();
    Consumer<Session> weights = session -> {
      if (resumeFrom != null) {
        checkpoints.restore(session, resumeFrom);
      } else {
        session.initialize();
      }
    };
    TrainingGraph.Options graphOptions = config.graphOptions().withClassWeights(classWeights);
    return cluster != null
        ? new PrecisionChoice.Opened<>(TrainingSession.openCluster(model, graphOptions, config.session(),
            cluster.config(), cluster.timeout(), weights), Precision.FP32, false, null)
        : TrainingSession.open(model, graphOptions, config.session(), weights, out::println);
  }

  /** This process's share of each step's images: all of them, or on a cluster the chief's (shard 0). */
  BatchLoader trainLoader() {
    return new BatchLoader(split.train(), loaderConfig(true, batchSize).withShard(0, workers));
  }

  BatchLoader valLoader() {
    return new BatchLoader(split.val(), loaderConfig(false, config.batchSize()));
  }

  private LoaderConfig loaderConfig(boolean training, int batchSize) {
    return new LoaderConfig(config.imageSize(), batchSize, seed, config.loaderThreads(), 4,
        training, false, training ? config.augment().augmenter(config.imageSize()) : null)
        .withSampling(training ? config.sampling() : Sampling.UNIFORM);
  }

  /** The epoch the loop begins in: the resumed one, or the first. */
  int startEpoch() {
    return resumeFrom() != null ? resumeFrom().epoch() : 0;
  }

  /** Where the epoch goes on, in images: the same whatever the batch size was then and is now. */
  int startPosition() {
    return resumeFrom() != null ? plan.position(split.train().size()) : 0;
  }

  /**
   * Readies the new session for the loop and says where the run begins.
   *
   * @return the step the loop begins at (the global step of the weights)
   */
  long begin(TrainingSession ts, Precision precision, PrintStream out) {
    CheckpointMetadata resumeFrom = resumeFrom();
    if (resumeFrom == null && ts.t().ema != null) {
      ts.session().runner().addTarget(ts.t().ema.reset).run(); // the averages start at the initial weights
    }
    long step;
    try (Result r = ts.session().runner().fetch(ts.t().step).run()) {
      step = ((TInt64) r.get(0)).getLong();
    }
    int position = startPosition();
    out.println(resumeFrom != null
        ? String.format("resuming from %s: step %d, epoch %d, %s (run %s)", resumeFrom.name(), step,
            resumeFrom.epoch() + 1,
            position % batchSize == 0 ? "batch " + position / batchSize : "image " + (position + 1), runId())
        : "starting run " + runId() + " from scratch (" + (config.resume() ? "no checkpoint in " + checkpoints.dir()
            : "--no-resume") + ")");
    if (!plan.changes().isEmpty()) {
      out.println("resumed with other options: " + String.join(", ", plan.changes()));
    }
    out.printf("training %s at %d px in %s, batch %d, %d steps/epoch, %d epochs = %d steps%s%n",
        model.variant(), model.imageSize(), precision.name().toLowerCase(), batchSize,
        stepsPerEpoch, config.epochs(), plannedSteps,
        config.maxSteps() > 0 ? " (stopping at step " + config.maxSteps() + ")" : "");
    return step;
  }

  /** train-config.json: the run's options as this {@code train} uses them, and the run's id. */
  private static void writeConfig(CheckpointManager checkpoints, TrainConfig config, String runId) {
    try {
      Files.createDirectories(checkpoints.dir());
      com.google.gson.JsonObject json = RunStart.tree(config);
      json.addProperty("run_id", runId);
      Json.writeAtomically(checkpoints.dir().resolve(Trainer.TRAIN_CONFIG), Json.GSON.toJson(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to --checkpoint-dir " + checkpoints.dir() + ": " + e.getMessage(), e);
    }
  }
}
