package flowers.train;

import flowers.checkpoint.CheckpointManager;
import flowers.cluster.ClusterException;
import flowers.cluster.Reachability;
import flowers.cluster.TfConfig;
import flowers.tf.Messages;
import java.util.stream.Collectors;
import org.tensorflow.Output;
import org.tensorflow.proto.RunOptions;
import flowers.checkpoint.CheckpointMetadata;
import flowers.json.Json;
import flowers.checkpoint.SplitRecord;
import flowers.data.Batch;
import flowers.data.BatchLoader;
import flowers.data.DataCheck;
import flowers.data.DatasetScan;
import flowers.data.ImageFolder;
import flowers.data.LoaderConfig;
import flowers.data.Sampling;
import flowers.data.Split;
import flowers.data.SplitRule;
import flowers.data.StandardAugmenter;
import flowers.eval.Calibration;
import flowers.eval.Evaluation;
import flowers.eval.Rejection;
import flowers.eval.ConfusionMatrix;
import flowers.model.ModelConfig;
import flowers.tf.Precision;
import flowers.tf.PrecisionChoice;
import flowers.tf.Tensors;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** The {@code train} command: data, model (scratch or resume), the loop, validation, checkpoints. */
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
  /** The calibration of the latest validation, saved with every checkpoint until the next (1 = none yet). */
  private double temperature = 1;
  /** The "unknown" threshold of the latest validation, saved alongside (NaN = none yet). */
  private double minConfidence = Double.NaN;
  /** The run's options: {@code given}, or on resume the run's own with what was typed on top. */
  private TrainConfig config;

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
    this.config = config;
    this.typed = typed;
    this.out = out;
    this.warn = warn;
    this.stop = stop;
  }

  public TrainResult run() {
    long started = System.nanoTime();

    // ---- data, and the run: resumed, or new (the folder's previous run moved aside)
    ImageFolder folder = DatasetScan.scan(given.dataDir());
    folder.warnSkipped(warn);
    CheckpointManager checkpoints = new CheckpointManager(given.checkpointDir(), given.keep(), warn);
    RunStart.Plan plan = RunStart.decide(given, typed, checkpoints, folder.classNames(), out::println);
    config = plan.config();
    CheckpointMetadata resumeFrom = plan.resumeFrom();
    String runId = plan.runId();
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
    int workers = cluster == null ? 1 : cluster.config().workers().size();
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
    writeConfig(checkpoints, runId);
    try {
      SplitRecord.write(checkpoints.dir(), folder.root(), split);
    } catch (IOException e) {
      warn.accept("could not record the split in " + checkpoints.dir() + ": " + e.getMessage());
    }

    // ---- model, in the precision this machine computes right
    Consumer<Session> weights = session -> {
      if (resumeFrom != null) {
        checkpoints.restore(session, resumeFrom);
      } else {
        session.initialize();
      }
    };
    TrainingGraph.Options graphOptions = config.graphOptions().withClassWeights(classWeights);
    PrecisionChoice.Opened<TrainingSession> opened = cluster != null
        ? new PrecisionChoice.Opened<>(TrainingSession.openCluster(model, graphOptions, config.session(),
            cluster.config(), cluster.timeout(), weights), Precision.FP32, false, null)
        : TrainingSession.open(model, graphOptions, config.session(), weights, out::println);
    Precision precision = opened.precision();
    try (TrainingSession ts = opened.built()) {
      Graph graph = ts.graph();
      TrainingGraph t = ts.t();
      Session session = ts.session();
      temperature = resumeFrom != null ? resumeFrom.temperature() : 1;
      minConfidence = resumeFrom != null ? resumeFrom.minConfidence() : Double.NaN;
      if (resumeFrom == null && t.ema != null) {
        session.runner().addTarget(t.ema.reset).run(); // the averages start at the initial weights
      }
      try (BatchLoader train = new BatchLoader(split.train(), loaderConfig(seed, true, batchSize).withShard(0, workers));
          BatchLoader val = new BatchLoader(split.val(), loaderConfig(seed, false, config.batchSize()))) {
        int epoch = resumeFrom != null ? resumeFrom.epoch() : 0;
        int trainImages = split.train().size();
        // Where the epoch goes on, in images: the same whatever the batch size was then and is now.
        int position = resumeFrom != null ? plan.position(trainImages) : 0;
        int stepInEpoch = (position + batchSize - 1) / batchSize;
        long step = readStep(session, t);
        long startStep = step;
        out.println(resumeFrom != null
            ? String.format("resuming from %s: step %d, epoch %d, %s (run %s)", resumeFrom.name(), step, epoch + 1,
                position % batchSize == 0 ? "batch " + position / batchSize : "image " + (position + 1),
                runId)
            : "starting run " + runId + " from scratch (" + (config.resume() ? "no checkpoint in " + checkpoints.dir()
                : "--no-resume") + ")");
        if (!plan.changes().isEmpty()) {
          out.println("resumed with other options: " + String.join(", ", plan.changes()));
        }
        out.printf("training %s at %d px in %s, batch %d, %d steps/epoch, %d epochs = %d steps%s%n",
            model.variant(), model.imageSize(), precision.name().toLowerCase(), batchSize,
            stepsPerEpoch, config.epochs(), planned,
            config.maxSteps() > 0 ? " (stopping at step " + config.maxSteps() + ")" : "");

        ClusterControl control = null;
        if (cluster != null) {
          control = new ClusterControl(graph, cluster.config());
          control.tellAll(session, new ClusterPlan(seed, valFraction, split.rule().id, split.fileListHash(),
              config.imageSize(), config.batchSize(), workers, epoch, position, config.epochs(),
              config.augment().name().toLowerCase(), config.sampling().toString(), split.sides(folder.root())).toJson());
          out.printf("training on %d workers (global batch %d×%d)%n", workers, config.batchSize(), workers);
        }
        Output<TFloat32> imagesInStep = cluster == null ? null : ReplicatedTrainingGraph.imagesInStep(graph);

        // ---- the loop
        List<TrainingListener> listeners = listeners(checkpoints);
        TrainingListener.Start start =
            new TrainingListener.Start(step, epoch, config.epochs(), stepsPerEpoch, planned, config.batchSize(), graph);
        listeners.forEach(l -> l.onStart(start));
        String stoppedBy = "epochs";
        double lastLoss = Double.NaN;
        double valTop1 = Double.NaN;
        // The folder holds this run only (RunStart moved any other aside): its best is this run's.
        double bestValTop1 = checkpoints.best().map(CheckpointMetadata::valTop1).orElse(Double.NaN);
        int epochsWithoutBest = 0;
        CheckpointMetadata last = resumeFrom;
        long images = 0;
        int epochsCompleted = 0;
        outer:
        for (; epoch < config.epochs(); epoch++, stepInEpoch = 0, position = 0) {
          long epochStart = System.nanoTime();
          double epochLoss = 0;
          double epochAccuracy = 0;
          int epochSteps = 0;
          for (Batch batch : train.epochFrom(epoch, position)) {
            if (config.maxSteps() > 0 && step >= config.maxSteps()) {
              stoppedBy = "max-steps";
              break outer;
            }
            stepInEpoch = batch.stepInEpoch() + 1;
            position = batch.end();
            if (batch.size() == 0 && cluster == null) {
              continue; // every file of this batch failed to decode; the warnings said which
            }
            long t0 = System.nanoTime();
            float lr = schedule.at(step);
            double accuracy;
            int stepImages = batch.size();
            try (TFloat32 x = Tensors.images(batch.images(), batch.size(), config.imageSize());
                TInt32 y = Tensors.labels(batch.labels(), batch.size());
                TFloat32 rate = TFloat32.scalarOf(lr)) {
              Session.Runner runner = session.runner()
                  .feed(t.images, x).feed(t.labels, y).feed(t.learningRate, rate)
                  .addTarget(t.trainOp).fetch(t.loss).fetch(t.accuracy);
              if (imagesInStep != null) {
                runner.fetch(imagesInStep);
              }
              try (Result r = cluster == null ? runner.run() : clusterStep(runner, step, last)) {
                lastLoss = ((TFloat32) r.get(0)).getFloat();
                accuracy = ((TFloat32) r.get(1)).getFloat();
                stepImages = imagesInStep == null ? stepImages : (int) ((TFloat32) r.get(2)).getFloat();
              }
            }
            train.recycle(batch);
            if (!Double.isFinite(lastLoss)) {
              throw new IllegalStateException(divergence(lastLoss, step, precision));
            }
            step++;
            images += stepImages;
            epochLoss += lastLoss;
            epochAccuracy += accuracy;
            epochSteps++;
            TrainingListener.Step info = new TrainingListener.Step(step, epoch, stepInEpoch, stepsPerEpoch, lastLoss,
                accuracy, lr, stepImages, (System.nanoTime() - t0) / 1e9);
            listeners.forEach(l -> l.onStep(info));
            boolean epochEnd = position >= trainImages;
            if (stop.requested()) {
              last = save(checkpoints, session, model, split, runId, step, epoch, stepInEpoch, position, lastLoss,
                  Double.NaN, last);
              out.println("stopped by signal: saved " + last.name() + " at step " + step);
              stoppedBy = "signal";
              break outer;
            }
            if (!epochEnd && step % config.saveEvery() == 0) {
              last = save(checkpoints, session, model, split, runId, step, epoch, stepInEpoch, position, lastLoss,
                  Double.NaN, last);
            }
          }
          // ---- end of epoch: validate, save, maybe stop early
          epochsCompleted++;
          Validation v = split.val().isEmpty() ? null : validate(session, t, val, folder);
          ConfusionMatrix cm = v == null ? null : v.matrix();
          temperature = v == null ? temperature : v.temperature();
          minConfidence = v == null ? minConfidence : v.minConfidence();
          valTop1 = cm == null ? Double.NaN : cm.top1();
          TrainingListener.Epoch info = new TrainingListener.Epoch(epoch, config.epochs(), step,
              epochLoss / Math.max(1, epochSteps), epochAccuracy / Math.max(1, epochSteps), valTop1,
              cm == null ? Double.NaN : cm.top5(), cm == null ? Double.NaN : cm.meanLoss(),
              cm == null ? 0 : cm.total(), (System.nanoTime() - epochStart) / 1e9);
          listeners.forEach(l -> l.onEpoch(info));
          last = save(checkpoints, session, model, split, runId, step, epoch + 1, 0, 0, lastLoss, valTop1, last);
          if (!Double.isNaN(valTop1) && !(valTop1 <= bestValTop1)) {
            bestValTop1 = valTop1;
            epochsWithoutBest = 0;
          } else {
            epochsWithoutBest++;
          }
          if (config.earlyStopPatience() > 0 && epochsWithoutBest >= config.earlyStopPatience()) {
            out.printf("early stop: no better validation top-1 for %d epochs (best %s)%n", epochsWithoutBest,
                formatTop1(bestValTop1));
            stoppedBy = "early-stop";
            break;
          }
          if (config.maxSteps() > 0 && step >= config.maxSteps()) {
            stoppedBy = "max-steps";
            break;
          }
          if (stop.requested()) {
            stoppedBy = "signal";
            break;
          }
        }
        if (last == null || last.step() != step) {
          last = save(checkpoints, session, model, split, runId, step, epoch, stepInEpoch, position, lastLoss,
              Double.NaN, last);
        }
        if (last == null) {
          throw new flowers.checkpoint.CheckpointException("no checkpoint could be saved in " + checkpoints.dir());
        }
        if (control != null) {
          control.finish(session);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        double rate = images / Math.max(1e-9, elapsed.toNanos() / 1e9);
        int skipped = train.skippedCount() + val.skippedCount() + folder.skipped().size();
        TrainResult result = new TrainResult(startStep, step, epochsCompleted, lastLoss, valTop1, bestValTop1,
            last.name(), skipped, rate, elapsed, stoppedBy, runId, plan.previousRun());
        listeners.forEach(l -> l.onEnd(result));
        closeAll(listeners);
        out.printf("done: step %d, last checkpoint %s, best validation top-1 %s, %d files skipped, %.1f img/s overall, %s%n",
            step, last.name(), formatTop1(bestValTop1), skipped, rate, formatDuration(elapsed));
        return result;
      }
    }
  }

  /**
   * One step on the cluster. A task that died fails the step (or the step times out): say which,
   * and keep the last good checkpoint, which every task restarted resumes from.
   */
  private Result clusterStep(Session.Runner runner, long step, CheckpointMetadata last) {
    try {
      // The session's operation timeout does not bound a step that waits on a dead worker's queue:
      // gRPC keeps reconnecting. A per-run deadline does.
      return runner.setOptions(RunOptions.newBuilder().setTimeoutInMs(cluster.timeout().toMillis()).build()).run();
    } catch (RuntimeException e) {
      List<TfConfig.Task> down = Reachability.down(cluster.config(), cluster.config().others());
      String who = down.isEmpty() ? "a task" : down.stream()
          .map(task -> task + " (" + cluster.config().address(task) + ")").collect(Collectors.joining(", "));
      throw new ClusterException("lost " + who + " at step " + step + ": " + Messages.firstLine(e) + "; "
          + (last == null ? "no checkpoint yet" : "last good checkpoint " + last.name())
          + ": restart every task to resume", e);
    }
  }

  private List<TrainingListener> listeners(CheckpointManager checkpoints) {
    List<TrainingListener> all = new ArrayList<>();
    all.add(new ConsoleProgress(out, config.logEvery(), out == System.out && ConsoleProgress.isTerminal()));
    all.add(new TensorBoardLogger(checkpoints.dir().resolve(LOGS)));
    all.add(new HistoryLogger(checkpoints.dir()));
    return all;
  }

  private static void closeAll(List<TrainingListener> listeners) {
    for (TrainingListener l : listeners) {
      if (l instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private LoaderConfig loaderConfig(long seed, boolean training, int batchSize) {
    return new LoaderConfig(config.imageSize(), batchSize, seed, config.loaderThreads(), 4,
        training, false, training ? config.augment().augmenter(config.imageSize()) : null)
        .withSampling(training ? config.sampling() : Sampling.UNIFORM);
  }

  /**
   * The validation split's confusion matrix, and the temperature that calibrates these weights on it.
   *
   * @param temperature fitted on the validation probabilities: their logarithms are the logits up
   *     to a constant per image, which softmax ignores
   * @param minConfidence the automatic "unknown" threshold ({@link Rejection#autoThreshold}) on the
   *     probabilities at that temperature, which are what inference gives; NaN when none
   */
  record Validation(ConfusionMatrix matrix, double temperature, double minConfidence) {}

  /** Validates the weight averages when the run keeps them, else the weights. */
  static Validation validate(Session session, TrainingGraph t, BatchLoader val, ImageFolder folder) {
    if (t.ema != null) {
      session.runner().addTarget(t.ema.swapIn).run();
    }
    try {
      ConfusionMatrix cm = new ConfusionMatrix(folder.classNames());
      int classes = folder.classNames().size();
      FloatList logits = new FloatList();
      List<Integer> labels = new ArrayList<>();
      Evaluation.run(Evaluation.of(session, t.images, t.net.probabilities(), (int) t.images.shape().get(1), t.training),
          val, cm, (path, label, p, offset) -> {
            for (int j = 0; j < classes; j++) {
              logits.add((float) Math.log(Math.max(p[offset + j], 1e-37f)));
            }
            labels.add(label);
          });
      float[] z = logits.toArray();
      int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
      double temperature = Calibration.fitTemperature(z, y, classes);
      double minConfidence = Rejection.autoThreshold(Calibration.probabilities(z, classes, temperature), y, classes);
      return new Validation(cm, temperature, minConfidence);
    } finally {
      if (t.ema != null) {
        session.runner().addTarget(t.ema.swapOut).run();
      }
    }
  }

  /** A growable float array: validation keeps C floats per image. */
  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void add(float v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }

  private CheckpointMetadata save(CheckpointManager checkpoints, Session session, ModelConfig model, Split split,
      String runId, long step, int epoch, int stepInEpoch, int imagesInEpoch, double loss, double valTop1,
      CheckpointMetadata previous) {
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
      return checkpoints.save(session, meta);
    } catch (RuntimeException e) {
      // Training state is still in memory: keep going and try again at the next save.
      warn.accept(e.getMessage());
      return previous;
    }
  }


  /**
   * What a NaN loss most likely means. In bf16 the check compared one probe batch; a kernel that is
   * wrong only for the run's batch size, or values beyond bf16's range, would show up here.
   */
  String divergence(double loss, long step, Precision precision) {
    String lr = "lower --learning-rate (now " + config.learningRate() + ")";
    return "the loss became " + loss + " at step " + step
        + (precision == Precision.BF16 ? " in bf16: retry with --precision fp32, or " + lr : ": " + lr);
  }

  static long readStep(Session session, TrainingGraph t) {
    try (Result r = session.runner().fetch(t.step).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** train-config.json: the run's options as this {@code train} uses them, and the run's id. */
  private void writeConfig(CheckpointManager checkpoints, String runId) {
    try {
      java.nio.file.Files.createDirectories(checkpoints.dir());
      com.google.gson.JsonObject json = RunStart.tree(config);
      json.addProperty("run_id", runId);
      Json.writeAtomically(checkpoints.dir().resolve(TRAIN_CONFIG), Json.GSON.toJson(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to --checkpoint-dir " + checkpoints.dir() + ": " + e.getMessage(), e);
    }
  }


  /** A validation top-1, or n/a before the first validation. */
  static String formatTop1(double top1) {
    return Double.isNaN(top1) ? "n/a" : String.format("%.4f", top1);
  }

  static String formatDuration(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60)
        : String.format("%.1fs", d.toMillis() / 1000.0);
  }
}
