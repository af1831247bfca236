package flowers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import flowers.json.Json;
import flowers.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckpointMetadataTest {
  static CheckpointMetadata sample() {
    JsonObject config = new JsonObject();
    config.addProperty("ema_decay", 0.9);
    return CheckpointMetadata.builder().step(200).epoch(3).stepInEpoch(4)
        .model(new ModelConfig(64, 2, 7, true, false)).seed(7).classNames(List.of("a", "b")).valFraction(0.25)
        .fileListHash("abc").splitRule("path-hash-v1").metrics(Map.of(CheckpointMetadata.VAL_TOP1, 0.5))
        .run("20260101-000000-abcd", 12, config).files("ckpt-00000200", 10, 20, "now").build();
  }

  @Test
  void theBuilderSetsEachFieldByName() {
    CheckpointMetadata m = sample();
    assertEquals(CheckpointMetadata.FORMAT_VERSION, m.formatVersion());
    assertEquals("resnet107-relu-after-add", m.model());
    assertEquals(64, m.imageSize());
    assertEquals(0.5, m.valTop1());
    assertEquals(12, m.imagesInEpoch());
    assertEquals(true, m.weightAverages());
    assertEquals(m, m.toBuilder().build());
    assertEquals(201, m.toBuilder().step(201).build().step());
  }

  @Test
  void theFileKeepsItsKeysAndNeverTheFolder() {
    CheckpointMetadata m = sample().inFolder(Path.of("somewhere"));
    JsonObject json = JsonParser.parseString(Json.GSON.toJson(m)).getAsJsonObject();
    assertEquals(Set.of("format_version", "name", "step", "epoch", "step_in_epoch", "model", "image_size", "class_names",
        "seed", "val_fraction", "file_list_hash", "metrics", "index_bytes", "data_bytes", "saved_at", "run_id",
        "images_in_epoch", "config", "split_rule"), json.keySet());
    CheckpointMetadata back = Json.GSON.fromJson(json, CheckpointMetadata.class);
    assertNull(back.folder());
    assertEquals(sample(), back);
  }
}
