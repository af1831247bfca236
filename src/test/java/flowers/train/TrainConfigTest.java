package flowers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import flowers.data.AugmentPolicy;
import flowers.json.Json;
import flowers.model.Architecture;
import flowers.tf.Device;
import flowers.tf.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
  /**
   * train-config.json's keys as every run so far wrote them: checkpoints of those runs hold them
   * ("sampling" since issue 16; a file without it reads as uniform).
   */
  static final List<String> KEYS = List.of("data_dir", "checkpoint_dir", "image_size", "batch_size", "epochs",
      "max_steps", "learning_rate", "val_fraction", "seed", "save_every", "keep", "threads", "loader_threads", "resume",
      "schedule", "warmup_steps", "label_smoothing", "weight_decay", "augment", "early_stop_patience", "relu_after_add",
      "batch_norm", "precision", "log_every", "device", "optimizer", "ema_decay", "class_weights", "sampling");

  static TrainConfig sample() {
    return TrainConfig.builder(Path.of("data"), Path.of("ck")).architecture(new Architecture(64, true, false))
        .batchSize(8).epochs(3).learningRate(2e-3f).augment(AugmentPolicy.LIGHT).optimizer(Optimizer.ADAMW)
        .weightDecay(0.01f).emaDecay(0.9f).precision(Precision.FP32).device(Device.CPU).build();
  }

  @Test
  void theFileKeepsItsFlatKeysAndReadsBackEqual() {
    TrainConfig c = sample();
    JsonObject json = RunStart.tree(c);
    assertEquals(Set.copyOf(KEYS), json.keySet(), json.toString());
    assertEquals(64, json.get("image_size").getAsInt());
    assertTrue(json.get("relu_after_add").getAsBoolean());
    assertFalse(json.get("batch_norm").getAsBoolean());
    assertEquals("light", json.get("augment").getAsString());
    assertEquals(c, Json.GSON.fromJson(Json.GSON.toJson(c), TrainConfig.class));
  }

  @Test
  void aConfigWrittenBeforeRecipesStillReads() {
    // What train-config.json held before augmentation policies, AdamW, weight averages and class weights.
    String old = """
        {"data_dir": "dataset", "checkpoint_dir": "checkpoints", "image_size": 32, "batch_size": 4, "epochs": 2,
         "max_steps": 0, "learning_rate": 0.001, "val_fraction": 0.2, "seed": 42, "save_every": 200, "keep": 5,
         "threads": 0, "loader_threads": 2, "resume": true, "schedule": "COSINE", "warmup_steps": -1,
         "label_smoothing": 0.0, "weight_decay": 0.0, "augment": true, "early_stop_patience": 0,
         "relu_after_add": false, "batch_norm": true, "precision": "FP32", "log_every": 10,
         "device": {"kind": "AUTO", "index": 0}}""";
    TrainConfig c = Json.GSON.fromJson(JsonParser.parseString(old), TrainConfig.class);
    assertEquals(new Architecture(32, false, true), c.architecture());
    assertEquals(32, c.imageSize());
    assertTrue(c.batchNorm());
    assertEquals(AugmentPolicy.STRONG, c.augment());
    assertEquals(Optimizer.ADAM, c.optimizer());
    assertEquals(ClassWeights.NONE, c.classWeights());
    assertEquals(0f, c.emaDecay());
  }

  @Test
  void theBuilderStartsFromTheSpecDefaults() {
    TrainConfig d = TrainConfig.defaults(Path.of("dataset"), Path.of("checkpoints"));
    // SPEC §5.
    assertEquals(224, d.imageSize());
    assertEquals(16, d.batchSize());
    assertEquals(30, d.epochs());
    assertEquals(0, d.maxSteps());
    assertEquals(1e-3f, d.learningRate());
    assertEquals(0.2, d.valFraction());
    assertEquals(42, d.seed());
    assertEquals(200, d.saveEvery());
    assertEquals(5, d.keep());
    assertEquals(0, d.threads());
    assertTrue(d.resume());
    assertFalse(d.reluAfterAdd() || d.batchNorm(), "the seed's graph");
    assertEquals(d, d.toBuilder().build());
  }

  @Test
  void aBadValueNamesItsFlag() {
    var b = TrainConfig.builder(Path.of("d"), Path.of("c"));
    assertEquals("--image-size must be a positive multiple of 32 (e.g. 64, 224), got 100",
        assertThrows(IllegalArgumentException.class, () -> b.imageSize(100).build()).getMessage());
    assertEquals("--batch-size must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> b.imageSize(64).batchSize(0).build()).getMessage());
  }
}
