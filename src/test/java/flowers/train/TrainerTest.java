package flowers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointException;
import flowers.data.AugmentPolicy;
import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.eval.Evaluation;
import flowers.model.Names;
import flowers.runlog.History;
import flowers.testing.EasyImages;
import flowers.tf.Device;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import flowers.json.Json;
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
    return TrainConfig.builder(data, checkpoints).imageSize(32).batchSize(4).epochs(50).maxSteps(maxSteps)
        .valFraction(0.25).seed(7).saveEvery(3).keep(3).threads(1).loaderThreads(1).resume(resume)
        .schedule(LearningRateSchedule.Kind.COSINE).warmupSteps(2).augment(AugmentPolicy.STRONG)
        .precision(Precision.FP32).logEvery(1).device(Device.CPU).build();
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
    TrainConfig variant = c.toBuilder().augment(AugmentPolicy.NONE).reluAfterAdd(true).build();
    assertEquals(3, train(variant, warnings).step());
    TrainConfig more = variant.toBuilder().maxSteps(5).build();
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
    TrainConfig bn = c.toBuilder().augment(AugmentPolicy.NONE).batchNorm(true).build();
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
    TrainConfig at64 = c.toBuilder().imageSize(64).augment(AugmentPolicy.NONE).build();
    CheckpointException e = assertThrows(CheckpointException.class, () -> train(at64, warnings));
    assertTrue(e.getMessage().contains("--image-size 32"), e.getMessage());
  }

  // ---- one run, one identity (issue 13). 18 training images, batch 4: 5 steps per epoch.

  /**
   * {@code --no-resume} into a folder that holds a run: the old run goes whole into
   * previous-runs/<its id>/, and the new one neither loses its checkpoint to the old run's higher
   * steps, nor reports the old run's validation, nor is skipped by the next resume.
   */
  @Test
  void noResumeIntoAUsedFolderSetsTheOldRunAsideAndStartsACleanOne() throws Exception {
    List<String> warnings = new ArrayList<>();
    Path dir = shared.resolve("reused");
    TrainResult old = train(config(dir, 6, true), warnings);
    assertTrue(Double.isFinite(old.bestValTop1()), "the first run validated its first epoch");

    StringBuilder log = new StringBuilder();
    TrainResult fresh = train(with(config(dir, 3, false), "keep", 1), warnings, log);
    assertEquals(0, fresh.startStep());
    CheckpointManager m = new CheckpointManager(dir, 5, w -> {});
    assertEquals(3, m.latest().orElseThrow().step(), "the new run's checkpoint is the latest");
    assertEquals(fresh.checkpoint(), m.latest().orElseThrow().name());
    assertTrue(Files.isRegularFile(dir.resolve(fresh.checkpoint() + ".index")), "reported checkpoint exists");
    assertTrue(Double.isNaN(fresh.bestValTop1()), "no validation in this run: " + fresh.bestValTop1());
    assertTrue(m.best().isEmpty(), "best belongs to the new run, which has none");
    assertEquals(3, History.steps(dir).size(), "the folder's history is the new run's only");

    Path previousRuns = dir.resolve("previous-runs");
    List<Path> runs;
    try (var s = Files.list(previousRuns)) {
      runs = s.toList();
    }
    assertEquals(1, runs.size(), runs.toString());
    Path previous = runs.get(0);
    assertTrue(log.toString().lines().filter(l -> l.contains(previous.toString())).count() == 1,
        "one line says where the old run went:\n" + log);
    CheckpointManager old6 = new CheckpointManager(previous, 5, w -> {});
    assertEquals(6, old6.latest().orElseThrow().step());
    assertEquals(old.bestValTop1(), old6.best().orElseThrow().valTop1());
    for (String f : List.of("history.jsonl", "train-config.json", "logs")) {
      assertTrue(Files.exists(previous.resolve(f)), f + " moved with its run");
    }
    assertEquals(6, History.steps(previous).size());
    String oldRun = metadataFile(previous, "ckpt-00000006").get("run_id").getAsString();
    assertEquals(oldRun, previous.getFileName().toString(), "the folder is named by the old run's id");
    assertFalse(metadataFile(dir, fresh.checkpoint()).get("run_id").getAsString().equals(oldRun), "a new run id");

    TrainResult next = train(with(config(dir, 4, true), "keep", 1), warnings);
    assertEquals(3, next.startStep(), "the next train resumes the new run, not the old one");
  }

  @Test
  void aRunStoppedBeforeItsFirstValidationHasNoBestYet() {
    StringBuilder log = new StringBuilder();
    TrainResult r = train(config(shared.resolve("unvalidated"), 2, true), new ArrayList<>(), log);
    assertTrue(Double.isNaN(r.bestValTop1()));
    String done = log.toString().lines().filter(l -> l.startsWith("done:")).findFirst().orElseThrow();
    assertTrue(done.contains("best validation top-1 n/a"), done);
    assertFalse(log.toString().contains("NaN"), log.toString());
  }

  /**
   * 3 steps of 4 = 12 of the epoch's 18 images; resumed at batch 8, the 6 left make one batch: the
   * epoch ends at step 4 (at step 3 the old position 3 × 8 would skip them, at step 5 a converted
   * one would train some twice).
   */
  @Test
  void resumingWithAnotherBatchSizeContinuesAtTheNextImage() throws Exception {
    List<String> warnings = new ArrayList<>();
    Path dir = shared.resolve("rebatched");
    train(config(dir, 3, true), warnings);
    assertEquals(12, metadataFile(dir, "ckpt-00000003").get("images_in_epoch").getAsInt());
    StringBuilder log = new StringBuilder();
    TrainResult r = train(with(config(dir, 4, true), "batch_size", 8), warnings, log);
    assertEquals(3, r.startStep());
    List<History.EpochPoint> epochs = History.epochs(dir);
    assertEquals(0, epochs.get(0).epoch());
    assertEquals(4, epochs.get(0).step(), "the first epoch ends after the 6 images left:\n" + log);
    assertTrue(log.toString().contains("--batch-size 4 → 8"), log.toString());
    assertTrue(log.toString().contains("epoch 1 goes on after its first 12 images"), log.toString());
  }

  @Test
  void resumingWithOtherEpochsOrLearningRateSaysSoInOneLine() throws Exception {
    List<String> warnings = new ArrayList<>();
    Path dir = shared.resolve("retuned");
    train(config(dir, 2, true), warnings);
    StringBuilder log = new StringBuilder();
    TrainResult r = train(with(config(dir, 3, true), "epochs", 60, "learning_rate", 5e-4f), warnings, log);
    assertEquals(2, r.startStep());
    List<String> said = log.toString().lines().filter(l -> l.contains("--epochs") || l.contains("--learning-rate")).toList();
    assertEquals(1, said.size(), log.toString());
    assertTrue(said.get(0).contains("--epochs 50 → 60"), said.get(0));
    assertTrue(said.get(0).contains("--learning-rate 0.001 → 5.0E-4"), said.get(0));
    assertTrue(log.toString().contains(", 60 epochs = 300 steps"), log.toString());
    JsonObject recorded = metadataFile(dir, r.checkpoint()).getAsJsonObject("config");
    assertEquals(60, recorded.get("epochs").getAsInt(), "the checkpoint records the run's options as they are now");
    assertEquals(5e-4f, recorded.get("learning_rate").getAsFloat());
  }

  @Test
  void resumingWithAnotherSeedIsRefusedAndSaysWhy() {
    List<String> warnings = new ArrayList<>();
    Path dir = shared.resolve("reseeded");
    train(config(dir, 1, true), warnings);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> train(with(config(dir, 2, true), "seed", 8), warnings));
    assertTrue(e.getMessage().contains("--seed 7") && e.getMessage().contains("--no-resume"), e.getMessage());
  }

  /**
   * A folder written before runs had ids resumes: its position, kept in batches only, is converted
   * with the batch size its train-config.json names, and the run gets an id from then on.
   */
  @Test
  void aFolderFromBeforeRunIdsResumesAtTheRightImage() throws Exception {
    List<String> warnings = new ArrayList<>();
    Path dir = shared.resolve("legacy");
    train(config(dir, 3, true), warnings);
    try (var files = Files.newDirectoryStream(dir, "ckpt-*.json")) {
      for (Path f : files) {
        JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        List.of("run_id", "images_in_epoch", "config").forEach(o::remove);
        Files.writeString(f, o.toString());
      }
    }
    JsonObject trainConfig = JsonParser.parseString(Files.readString(dir.resolve("train-config.json"))).getAsJsonObject();
    trainConfig.remove("run_id");
    Files.writeString(dir.resolve("train-config.json"), trainConfig.toString());
    assertEquals(null, new CheckpointManager(dir, 5, w -> {}).latest().orElseThrow().runId());

    StringBuilder log = new StringBuilder();
    TrainResult r = train(with(config(dir, 4, true), "batch_size", 8), warnings, log);
    assertEquals(3, r.startStep());
    assertEquals(4, History.epochs(dir).get(0).step(), "3 batches of 4 done, the 6 images left in one:\n" + log);
    assertTrue(Files.isRegularFile(dir.resolve("ckpt-00000003.json")), "the run's earlier checkpoint stays");
    assertTrue(metadataFile(dir, r.checkpoint()).has("run_id"));
    // EasyImages' discs on grey are near duplicates by dHash: the data check says so; nothing else may warn.
    warnings.removeIf(w -> w.contains("duplicate group"));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}
