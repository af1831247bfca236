package flowers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointException;
import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.model.Names;
import flowers.testing.EasyImages;
import flowers.tf.Device;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import flowers.checkpoint.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

class TrainerTest {
  @TempDir static Path shared;
  static Path data;

  @BeforeAll
  static void data() {
    data = EasyImages.write(shared.resolve("data"), 3, 8, 40, 1);
  }

  static TrainConfig config(Path checkpoints, long maxSteps, boolean resume) {
    return new TrainConfig(data, checkpoints, 32, 4, 50, maxSteps, 1e-3f, 0.25, 7, 3, 3, 1, 1, resume,
        LearningRateSchedule.Kind.COSINE, 2, 0f, 0f, true, 0, false, false, Precision.FP32, 1, Device.CPU);
  }

  static TrainResult train(TrainConfig config, List<String> warnings) {
    return train(config, warnings, new StringBuilder());
  }

  /** As above, with what the trainer printed appended to {@code log}. */
  static TrainResult train(TrainConfig config, List<String> warnings, StringBuilder log) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (StopSignal stop = StopSignal.manual()) {
      return new Trainer(config, new PrintStream(out, true, StandardCharsets.UTF_8), warnings::add, stop).run();
    } finally {
      log.append(out.toString(StandardCharsets.UTF_8));
    }
  }

  /** {@code c} with some options changed, named by their train-config.json keys ("keep", 1, "epochs", 60, …). */
  static TrainConfig with(TrainConfig c, Object... keysAndValues) {
    JsonObject o = Json.GSON.toJsonTree(c).getAsJsonObject();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      o.add((String) keysAndValues[i], Json.GSON.toJsonTree(keysAndValues[i + 1]));
    }
    return Json.GSON.fromJson(o, TrainConfig.class);
  }

  /** A checkpoint's metadata file as written, for fields a test wants to see on disk. */
  static JsonObject metadataFile(Path dir, String name) throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve(name + ".json"))).getAsJsonObject();
  }

  /** Every variable of a checkpoint (weights, Adam moments, step), read back through TF. */
  static Map<String, float[]> variables(Path dir, String name) {
    CheckpointManager m = new CheckpointManager(dir, 10, w -> {});
    CheckpointMetadata meta = m.resolve(name);
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, meta.modelConfig(), TrainingGraph.Options.NONE);
      g.operations().forEachRemaining(op -> {
        if (op.type().equals("VariableV2")) {
          out.put(op.name(), null);
        }
      });
      try (Session s = new Session(g)) {
        s.restore(m.prefix(meta));
        // One run for all: every distinct fetch list costs TF a new executor.
        Session.Runner runner = s.runner();
        List<String> names = new ArrayList<>(out.keySet());
        names.forEach(runner::fetch);
        try (Result r = runner.run()) {
          for (int i = 0; i < names.size(); i++) {
            if (r.get(i) instanceof TFloat32 f) {
              float[] a = new float[(int) f.shape().size()];
              f.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(a, false, false));
              out.put(names.get(i), a);
            } else {
              out.put(names.get(i), new float[] {((org.tensorflow.types.TInt64) r.get(i)).getLong()});
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void resumeContinuesExactlyWhereAStraightRunWouldBe() {
    List<String> warnings = new ArrayList<>();
    Path straight = shared.resolve("straight");
    TrainResult a = train(config(straight, 10, true), warnings);
    assertEquals(10, a.step());

    Path split = shared.resolve("split");
    TrainResult first = train(config(split, 5, true), warnings);
    assertEquals(5, first.step());
    TrainResult second = train(config(split, 10, true), warnings);
    assertEquals(5, second.startStep(), "resume starts at the saved step");
    assertEquals(10, second.step());

    Map<String, float[]> x = variables(straight, "latest");
    Map<String, float[]> y = variables(split, "latest");
    assertEquals(x.keySet(), y.keySet());
    assertTrue(x.keySet().stream().anyMatch(k -> k.endsWith("_m")), "Adam moments are checkpointed");
    assertTrue(x.containsKey(Names.GLOBAL_STEP));
    for (String k : x.keySet()) {
      assertArrayEquals(x.get(k), y.get(k), 0f, k);
    }
  }

  @Test
  void withOneThreadTwoRunsGiveTheSameLossAtEveryStep() throws Exception {
    List<String> warnings = new ArrayList<>();
    train(config(shared.resolve("det-a"), 20, false), warnings);
    train(config(shared.resolve("det-b"), 20, false), warnings);
    List<History.StepPoint> a = History.steps(shared.resolve("det-a"));
    List<History.StepPoint> b = History.steps(shared.resolve("det-b"));
    assertEquals(20, a.size());
    assertEquals(a, b);
  }

  @Test
  void theReluAfterAddVariantTrainsSavesAndRestores() {
    List<String> warnings = new ArrayList<>();
    TrainConfig c = config(shared.resolve("variant"), 3, true);
    TrainConfig variant = new TrainConfig(c.dataDir(), c.checkpointDir(), c.imageSize(), c.batchSize(), c.epochs(),
        c.maxSteps(), c.learningRate(), c.valFraction(), c.seed(), c.saveEvery(), c.keep(), c.threads(),
        c.loaderThreads(), true, c.schedule(), c.warmupSteps(), 0f, 0f, false, 0, true, false, Precision.FP32, 1, Device.CPU);
    assertEquals(3, train(variant, warnings).step());
    TrainConfig more = new TrainConfig(c.dataDir(), c.checkpointDir(), c.imageSize(), c.batchSize(), c.epochs(), 5,
        c.learningRate(), c.valFraction(), c.seed(), c.saveEvery(), c.keep(), c.threads(), c.loaderThreads(), true,
        c.schedule(), c.warmupSteps(), 0f, 0f, false, 0, true, false, Precision.FP32, 1, Device.CPU);
    assertEquals(3, train(more, warnings).startStep());
    CheckpointMetadata meta = new CheckpointManager(c.checkpointDir(), 5, w -> {}).latest().orElseThrow();
    assertEquals("resnet107-relu-after-add", meta.model());
    // The seed's graph must not load the variant's weights silently.
    CheckpointException e = assertThrows(CheckpointException.class, () -> train(c, warnings));
    assertTrue(e.getMessage().contains("relu-after-add"), e.getMessage());
  }

  @Test
  void theBatchNormVariantTrainsAndServesFromItsMovingAverages() throws Exception {
    List<String> warnings = new ArrayList<>();
    TrainConfig c = config(shared.resolve("bn"), 4, true);
    TrainConfig bn = new TrainConfig(c.dataDir(), c.checkpointDir(), c.imageSize(), c.batchSize(), c.epochs(),
        c.maxSteps(), c.learningRate(), c.valFraction(), c.seed(), c.saveEvery(), c.keep(), c.threads(),
        c.loaderThreads(), true, c.schedule(), c.warmupSteps(), 0f, 0f, false, 0, false, true, Precision.FP32, 1, Device.CPU);
    TrainResult r = train(bn, warnings);
    assertEquals(4, r.step());
    assertTrue(Double.isFinite(r.lastLoss()));
    CheckpointMetadata meta = new CheckpointManager(c.checkpointDir(), 5, w -> {}).latest().orElseThrow();
    assertEquals("resnet107-bn", meta.model());
    Map<String, float[]> vars = variables(c.checkpointDir(), "latest");
    float[] movingMean = vars.get("resnet1/c1/bn/moving_mean");
    assertTrue(movingMean != null && movingMean.length == 16, vars.keySet().toString());
    assertTrue(java.util.Arrays.stream(toDoubles(movingMean)).anyMatch(v -> v != 0), "moving averages were updated");
    // The inference graph (moving averages, no training flag) equals the training graph fed training=false.
    flowers.testing.EasyImages.write(shared.resolve("probe"), 1, 2, 32, 9);
    java.nio.file.Path probe = shared.resolve("probe/class_0/img_000.png");
    CheckpointManager m = new CheckpointManager(c.checkpointDir(), 5, w -> {});
    try (flowers.serve.Classifier classifier = flowers.serve.Classifier.fromCheckpoint(m, meta, flowers.tf.SessionOptions.of(1, Precision.FP32));
        Graph g = new Graph()) {
      float[] x = classifier.decode(probe);
      TrainingGraph t = TrainingGraph.build(g, meta.modelConfig(), TrainingGraph.Options.NONE);
      try (Session s = new Session(g)) {
        s.restore(m.prefix(meta));
        float[] viaTraining = Evaluation.of(s, t.images, t.net.probabilities(), 32, t.training).probabilities(x, 1);
        assertArrayEquals(viaTraining, classifier.probabilities(x, 1), 1e-5f);
      }
    }
  }

  static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void aCheckpointFromAnotherImageSizeIsRefused() {
    List<String> warnings = new ArrayList<>();
    Path dir = shared.resolve("other-size");
    train(config(dir, 1, true), warnings);
    TrainConfig c = config(dir, 2, true);
    TrainConfig at64 = new TrainConfig(c.dataDir(), c.checkpointDir(), 64, c.batchSize(), c.epochs(), c.maxSteps(),
        c.learningRate(), c.valFraction(), c.seed(), c.saveEvery(), c.keep(), c.threads(), c.loaderThreads(), true,
        c.schedule(), c.warmupSteps(), 0f, 0f, false, 0, false, false, Precision.FP32, 1, Device.CPU);
    CheckpointException e = assertThrows(CheckpointException.class, () -> train(at64, warnings));
    assertTrue(e.getMessage().contains("--image-size 32"), e.getMessage());
  }

  // ---- one run, one identity (issue 13). 18 training images, batch 4: 5 steps per epoch.

  @Test
  void aRunStoppedBeforeItsFirstValidationHasNoBestYet() {
    StringBuilder log = new StringBuilder();
    TrainResult r = train(config(shared.resolve("unvalidated"), 2, true), new ArrayList<>(), log);
    assertTrue(Double.isNaN(r.bestValTop1()));
    String done = log.toString().lines().filter(l -> l.startsWith("done:")).findFirst().orElseThrow();
    assertTrue(done.contains("best validation top-1 n/a"), done);
    assertFalse(log.toString().contains("NaN"), log.toString());
  }
}
