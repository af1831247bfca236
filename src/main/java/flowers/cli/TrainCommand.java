package flowers.cli;

import flowers.cluster.TfConfig;
import flowers.train.ClusterTask;
import java.time.Duration;

import flowers.data.SyntheticFlowers;
import flowers.report.Reporter;
import flowers.serve.Evaluate;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import flowers.train.LearningRateSchedule;
import flowers.train.StopSignal;
import flowers.train.TrainConfig;
import flowers.train.TrainConfig.Defaults;
import flowers.train.StopReason;
import flowers.train.TrainResult;
import flowers.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import flowers.data.AugmentPolicy;
import flowers.data.Sampling;
import flowers.train.Optimizer;
import flowers.train.ClassWeights;
import flowers.model.Architecture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = {"Train the network; resumes from the latest checkpoint unless --no-resume.",
        "On resume, options left out keep the run's own values; --epochs, --learning-rate, --batch-size and the other"
            + " training options may change it (said in one line); --seed, --val-fraction, --image-size and the model"
            + " variant may not. --no-resume moves the folder's previous run into <checkpoint-dir>/previous-runs/<run id>/."})
final class TrainCommand implements Callable<Integer> {

  static final Path DEFAULT_DATA = Path.of(Defaults.DATA_DIR);

  @Option(names = "--data-dir", defaultValue = Defaults.DATA_DIR, description = "One sub-folder of images per class. An empty or missing default folder is first filled with the synthetic set.")
  Path dataDir;

  @Option(names = "--checkpoint-dir", defaultValue = Defaults.CHECKPOINT_DIR, description = "Where checkpoints and their metadata go.")
  Path checkpointDir;

  @Option(names = "--image-size", defaultValue = "" + Defaults.IMAGE_SIZE, description = "Input side in pixels, a multiple of 32.")
  int imageSize;

  @Option(names = "--batch-size", defaultValue = "" + Defaults.BATCH_SIZE)
  int batchSize;

  @Option(names = "--epochs", defaultValue = "" + Defaults.EPOCHS)
  int epochs;

  @Option(names = "--max-steps", defaultValue = "" + Defaults.MAX_STEPS, description = "Stop after this many steps in total (0 = no limit).")
  long maxSteps;

  @Option(names = "--learning-rate", defaultValue = "" + Defaults.LEARNING_RATE, description = "Peak Adam learning rate.")
  float learningRate;

  @Option(names = "--val-fraction", defaultValue = "" + Defaults.VAL_FRACTION, description = "Share of each class held out for validation.")
  double valFraction;

  @Option(names = "--seed", defaultValue = "" + Defaults.SEED, description = "Seeds the split, the data order, augmentation and the initial weights.")
  long seed;

  @Option(names = "--save-every", defaultValue = "" + Defaults.SAVE_EVERY, description = "Save a checkpoint every this many steps (and at each epoch end).")
  int saveEvery;

  @Option(names = "--keep", defaultValue = "" + Defaults.KEEP, description = "Keep this many latest checkpoints (the best is kept besides).")
  int keep;

  @Option(names = "--threads", defaultValue = "" + Defaults.THREADS, description = "TensorFlow threads (0 = TensorFlow's choice; 1 = reproducible).")
  int threads;

  @Option(names = "--loader-threads", defaultValue = "" + Defaults.LOADER_THREADS, description = "Image decoding threads.")
  int loaderThreads;

  @Option(names = "--no-resume", description = "Start a new run even if checkpoints exist; the previous run moves into <checkpoint-dir>/previous-runs/<run id>/.")
  boolean noResume;

  @Option(names = "--schedule", defaultValue = Defaults.SCHEDULE, description = "Learning-rate schedule after warm-up: cosine, step or constant.")
  String schedule;

  @Option(names = "--warmup-steps", defaultValue = "" + Defaults.WARMUP_STEPS, description = "Linear warm-up steps (-1 = 5%% of the run).")
  long warmupSteps;

  @Option(names = "--label-smoothing", defaultValue = Defaults.LABEL_SMOOTHING, paramLabel = "EPSILON",
      description = "Target 1-ε+ε/C on the true class and ε/C elsewhere (0 = plain one-hot).")
  float labelSmoothing;

  @Option(names = "--weight-decay", defaultValue = "0", description = "L2 on conv and dense kernels.")
  float weightDecay;

  @Option(names = "--augment", arity = "0..1", fallbackValue = "strong", defaultValue = Defaults.AUGMENT, paramLabel = "POLICY",
      description = "none; light (flip and shifts up to 1/8 of the side); strong (flip, resized crop, colour jitter: what a bare --augment means); auto (light below 128 px, strong from there).")
  String augment;

  @Option(names = "--no-augment", hidden = true, description = "Same as --augment none.")
  boolean noAugment;

  @Option(names = "--optimizer", defaultValue = Defaults.OPTIMIZER,
      description = "adam (--weight-decay as L2 in the gradient) or adamw (--weight-decay decoupled from the gradient).")
  String optimizer;

  @Option(names = "--ema-decay", defaultValue = "0",
      description = "Keep a moving average of the weights with this decay (e.g. 0.999) and validate, evaluate, predict and export with it; 0 = off.")
  float emaDecay;

  @Option(names = "--class-weights", defaultValue = Defaults.CLASS_WEIGHTS,
      description = "none, or balanced: each class's examples weigh N/(C*n_c) in the loss, as if every class had as many training images.")
  String classWeights;

  @Option(names = "--sampling", defaultValue = Defaults.SAMPLING,
      description = "uniform (every training image once an epoch) or balanced (each class drawn equally often an epoch: small classes repeated, large ones in part).")
  String sampling;

  @Option(names = "--early-stop", defaultValue = "0", description = "Stop after this many epochs without a better validation top-1 (0 = off).")
  int earlyStop;

  @Option(names = "--relu-after-add", description = "Variant: ReLU after each residual sum (He et al. 2016). Off = the seed's graph.")
  boolean reluAfterAdd;

  @Option(names = "--batch-norm", description = "Variant: batch normalisation after every conv (moving averages in checkpoints, used by evaluate/predict/export). Off = the seed's graph.")
  boolean batchNorm;

  @Option(names = "--precision", defaultValue = Defaults.PRECISION, description = "auto: bf16 where the CPU has native bf16 and a check on this machine shows it computes what fp32 does, else fp32; fp32; or bf16 (stops if the check fails).")
  String precision;

  @Option(names = "--log-every", defaultValue = "" + Defaults.LOG_EVERY, description = "Print a progress line every this many steps.")
  int logEvery;

  @Option(names = "--no-report", description = "Skip the HTML run report at the end.")
  boolean noReport;

  @Option(names = "--cluster-timeout", defaultValue = "120", paramLabel = "SECONDS",
      description = "With TF_CONFIG (training on several machines): how long a task waits for the others to come up, and a step for a lost task.")
  int clusterTimeout;

  @Mixin DeviceOption device;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    TrainConfig config = config();
    TfConfig cluster = TfConfig.fromEnvironment();
    if (cluster != null) {
      if (clusterTimeout < 1) {
        throw new IllegalArgumentException("--cluster-timeout must be at least 1 second, got " + clusterTimeout);
      }
      if (config.precision() == Precision.BF16) {
        throw new IllegalArgumentException("--precision bf16 trains in one process only: a cluster trains in fp32");
      }
      if (!cluster.isChief()) {
        // A parameter server or a worker: serves the chief's run, then this process ends (its server cannot stop).
        return new ClusterTask(cluster, config, Duration.ofSeconds(clusterTimeout), System.out,
            Cli::warn).run();
      }
    }
    if (dataDir.normalize().equals(DEFAULT_DATA) && hasNoClassFolder(dataDir)) {
      System.out.println("dataset/ is empty: generating the synthetic 20-class flower set first (real photos in dataset/<class>/ replace it)");
      var summary = SyntheticFlowers.generate(new SyntheticFlowers.Config(dataDir, 50, 224, seed));
      System.out.printf("generated %d images in %s (%.1fs)%n", summary.images(), dataDir, summary.elapsed().toMillis() / 1000.0);
    }
    try (StopSignal stop = StopSignal.install(msg -> System.err.println(msg))) {
      java.io.PrintStream progress = common.quiet ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.out;
      TrainResult result = new Trainer(config, typedOptions(), progress, Cli::warn, stop,
          cluster == null ? null : new Trainer.Cluster(cluster, Duration.ofSeconds(clusterTimeout))).run();
      if (common.quiet) {
        // The move of a previous run is said here too: --quiet must not hide where the user's files went.
        System.out.printf("done: step %d, checkpoint %s, best validation top-1 %s, stopped by %s%s%n", result.step(),
            result.checkpoint(), Double.isNaN(result.bestValTop1()) ? "n/a" : String.format("%.4f", result.bestValTop1()),
            result.stoppedBy().label(), result.previousRun() == null ? "" : "; previous run moved to " + result.previousRun());
      }
      if (result.stoppedBy() != StopReason.SIGNAL && !noReport) {
        writeReport();
      }
      return Main.OK;
    }
  }

  /** The flags as the library's config: no flags at all give {@link TrainConfig#defaults}. */
  TrainConfig config() {
    return TrainConfig.builder(dataDir, checkpointDir)
        .architecture(new Architecture(imageSize, reluAfterAdd, batchNorm))
        .batchSize(batchSize).epochs(epochs).maxSteps(maxSteps).learningRate(learningRate).valFraction(valFraction)
        .seed(seed).saveEvery(saveEvery).keep(keep).threads(threads).loaderThreads(loaderThreads).resume(!noResume)
        .schedule(LearningRateSchedule.Kind.parse(schedule)).warmupSteps(warmupSteps).labelSmoothing(labelSmoothing)
        .weightDecay(weightDecay).augment(AugmentPolicy.parse(noAugment ? "none" : augment)).earlyStopPatience(earlyStop)
        .precision(Precision.parse(precision)).logEvery(logEvery).device(device.device())
        .optimizer(Optimizer.parse(optimizer)).emaDecay(emaDecay).classWeights(ClassWeights.parse(classWeights))
        .sampling(Sampling.parse(sampling))
        .build();
  }

  /** The options typed on this command line: on resume, the others keep the run's values, not their defaults. */
  private Set<String> typedOptions() {
    return spec.commandLine().getParseResult().matchedOptions().stream().map(OptionSpec::longestName)
        .map(name -> name.equals("--no-augment") ? "--augment" : name)
        .collect(Collectors.toSet());
  }

  /**
   * The run report of the best checkpoint (the latest when nothing was validated), drawn from one
   * evaluation on the validation split. Training already said the data's warnings: not again here.
   */
  private void writeReport() throws IOException {
    var checkpoints = new flowers.checkpoint.CheckpointManager(checkpointDir, keep, Cli::warn);
    var meta = checkpoints.best().orElseGet(() -> checkpoints.resolve("latest"));
    Path out = checkpointDir.resolve(Trainer.REPORT);
    var config = new Evaluate.Config(dataDir, checkpointDir, checkpoints.prefix(meta), "val", batchSize,
        loaderThreads, new SessionOptions(threads, Precision.FP32, device.device()), null);
    flowers.eval.Evaluator.Outcome evaluated;
    try {
      evaluated = Evaluate.run(config, warning -> {}, Cli::note).outcome();
    } catch (Evaluate.EmptySplit noValidation) {
      evaluated = null; // the report still draws the training curves
    }
    System.out.println("report: " + Reporter.write(out, meta, "validation", evaluated));
  }

  static boolean hasNoClassFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.noneMatch(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
    }
  }
}
