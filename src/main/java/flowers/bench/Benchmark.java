package flowers.bench;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.data.BatchLoader;
import flowers.data.DatasetScan;
import flowers.data.ImageFolder;
import flowers.data.LoaderConfig;
import flowers.model.ModelConfig;
import flowers.serve.Classifier;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import flowers.tf.PrecisionChoice;
import flowers.tf.Tensors;
import flowers.train.TrainStep;
import flowers.train.TrainingGraph;
import flowers.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Speed and memory of this project on this machine, measured in one process: the figures the
 * performance issue and README quote. Warm-up steps are excluded and medians reported.
 */
public final class Benchmark {

  /** Forward GFLOP per image at 224 px (SPEC §2); other sizes scale with the pixel count. */
  static final double GFLOP_224 = 1.39;
  static final int WARMUP = 3;

  public record Config(int imageSize, int batchSize, int steps, SessionOptions session, Path dataDir,
      Path workDir, int latencyRuns) {}

  private final Config config;
  private final Consumer<String> log;

  public Benchmark(Config config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  public BenchResult run() throws IOException {
    Machine m = Machine.describe();
    log.accept("machine: " + m.line());
    int s = config.imageSize();
    int b = config.batchSize();
    ImageFolder folder = DatasetScan.scan(config.dataDir());
    int classes = folder.classNames().size();
    ModelConfig model = new ModelConfig(s, classes, 1);
    float[] pixels = new float[b * s * s * 3];
    int[] labels = new int[b];
    Random rnd = new Random(1);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = rnd.nextInt(256);
    }
    for (int i = 0; i < b; i++) {
      labels[i] = i % classes;
    }
    long t0 = System.nanoTime();
    PrecisionChoice.Opened<TrainingSession> opened = TrainingSession.open(model, TrainingGraph.Options.NONE,
        config.session(), Session::initialize, log);
    Precision precision = opened.precision();
    Path ckDir = config.workDir().resolve("bench-checkpoint");
    CheckpointManager checkpoints = new CheckpointManager(ckDir, 1, log);
    Trained trained;
    try (TrainingSession ts = opened.built()) {
      TrainingGraph t = ts.t();
      Session session = ts.session();
      TrainStep step = new TrainStep(session, t, s);
      try (TFloat32 x = Tensors.images(pixels, b, s);
          TInt32 y = Tensors.labels(labels, b);
          TFloat32 lr = TFloat32.scalarOf(1e-4f)) {
        step.run(x, y, lr, 0);
        double buildS = (System.nanoTime() - t0) / 1e9;
        log.accept(String.format("graph build + session start + first step: %.2f s", buildS));

        // (a) training fed from memory
        double[] train = time(config.steps(), () -> step.run(x, y, lr, 0));
        double trainRate = b / median(train);
        log.accept(String.format("train (from memory): %.1f img/s (median of %d steps)", trainRate, config.steps()));

        // (b) training through the real loader
        double e2eRate;
        LoaderConfig lc = new LoaderConfig(s, b, 1, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 4,
            true, true, null);
        try (BatchLoader loader = new BatchLoader(folder.images(), lc)) {
          Iterator<flowers.data.Batch> batches = endless(loader);
          double[] e2e = time(config.steps(), () -> {
            flowers.data.Batch batch = batches.next();
            step.run(batch, 1e-4f, 0);
            loader.recycle(batch);
          });
          e2eRate = b / median(e2e);
        }
        log.accept(String.format("train (JPEG folder through the loader): %.1f img/s", e2eRate));

        // (c) inference on the weights just trained, and memory over a long loop
        double rssBefore = flowers.tf.Memory.rssMb();
        double[] infer = time(Math.max(config.steps(), 30), () -> {
          try (Result r = session.runner().feed(t.images, x).fetch(t.net.probabilities()).run()) {
            r.get(0);
          }
        });
        double rssGrowth = flowers.tf.Memory.rssMb() - rssBefore;
        double inferRate = b / median(infer);
        log.accept(String.format("inference batch %d: %.1f img/s; RSS growth over the loop %.1f MB", b, inferRate, rssGrowth));

        CheckpointMetadata meta = checkpoints.save(session, CheckpointMetadata.builder().step(1).model(model)
            .classNames(folder.classNames()).seed(1).valFraction(0.2).fileListHash("").build());
        trained = new Trained(buildS, trainRate, e2eRate, inferRate, rssGrowth, meta);
      }
    }

    // (d) single-image latency through the predict path (decode + forward) from the checkpoint, with
    // the training session closed first: a predict process holds only its classifier, and the two
    // together made the bench's peak RSS (1,644 against 1,557 MB in fp32 at 224 px).
    CheckpointMetadata meta = trained.checkpoint();
    byte[] jpeg = Files.readAllBytes(folder.images().get(0).path());
    double latency = latencyMs(checkpoints, meta, jpeg, Precision.FP32);
    log.accept(String.format("single-image latency (decode + forward), fp32: %.1f ms", latency));
    Double latencyBf16 = null;
    if (precision == Precision.BF16) {
      latencyBf16 = latencyMs(checkpoints, meta, jpeg, Precision.BF16);
      log.accept(String.format("single-image latency (decode + forward), bf16: %.1f ms", latencyBf16));
    }
    double gflops = trained.trainRate() * 3 * GFLOP_224 * (s * s) / (224.0 * 224.0);
    return new BenchResult(m.cpuName(), m.cpuFamily(), m.cpuModel(), m.cpuStepping(), m.cores(),
        m.onednnVersion(), m.onednnIsa(), m.conv1Fp32Kernel(), m.conv1Bf16Kernel(), s, b, config.steps(),
        config.session().threads(), precision.name().toLowerCase(),
        opened.verdict() == null ? null : opened.verdict().line(),
        config.session().device().toString(), trained.buildS(), trained.trainRate(), trained.e2eRate(),
        trained.inferRate(), latency, latencyBf16, flowers.tf.Memory.peakRssMb(), trained.rssGrowth(), gflops);
  }

  /** What the training session measured, and the checkpoint it left for the latency figure. */
  private record Trained(double buildS, double trainRate, double e2eRate, double inferRate, double rssGrowth,
      CheckpointMetadata checkpoint) {}

  /** Median ms of one JPEG through {@link Classifier#classify(byte[], int)}, as {@code predict} runs it. */
  private double latencyMs(CheckpointManager checkpoints, CheckpointMetadata meta, byte[] jpeg, Precision precision) {
    try (Classifier c = Classifier.fromCheckpoint(checkpoints, meta, config.session().withPrecision(precision))) {
      double[] single = time(Math.max(config.latencyRuns(), 10), () -> {
        try {
          c.classify(jpeg, 5);
        } catch (flowers.data.DecodeException e) {
          throw new IllegalStateException(e);
        }
      });
      return median(single) * 1000;
    }
  }

  private static Iterator<flowers.data.Batch> endless(BatchLoader loader) {
    return new Iterator<>() {
      int epoch = 0;
      Iterator<flowers.data.Batch> current = loader.epoch(0, 0).iterator();

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public flowers.data.Batch next() {
        while (!current.hasNext()) {
          current = loader.epoch(++epoch, 0).iterator();
        }
        return current.next();
      }
    };
  }

  /** Seconds per call of {@code steps} timed calls after {@link #WARMUP} untimed ones. */
  private static double[] time(int steps, Runnable step) {
    for (int i = 0; i < WARMUP; i++) {
      step.run();
    }
    double[] seconds = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      step.run();
      seconds[i] = (System.nanoTime() - t0) / 1e9;
    }
    return seconds;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

}
