package flowers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.data.DatasetScan;
import flowers.data.Duplicates;
import flowers.data.ImageFolder;
import flowers.data.Split;
import flowers.data.SplitRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split rule in checkpoint metadata, and the record that tells what joined a grown folder. */
class SplitRecordTest {
  @TempDir Path dir;

  @Test
  void aCheckpointWithoutASplitRuleUsedTheOldOne() throws IOException {
    CheckpointManager m = new CheckpointManager(dir, 5, w -> {});
    try (CheckpointManagerTest.Tiny t = new CheckpointManagerTest.Tiny()) {
      m.save(t.s, CheckpointManagerTest.meta(1, null).toBuilder().splitRule(SplitRule.PATH_HASH_V1.id).build());
      m.save(t.s, CheckpointManagerTest.meta(2, null));
    }
    assertEquals("path-hash-v1", m.resolve("ckpt-00000001").splitRule());
    assertEquals(SplitRule.PATH_HASH_V1, m.resolve("ckpt-00000001").splitRuleOrOld());
    assertTrue(Files.readString(dir.resolve("ckpt-00000001.json")).contains("\"split_rule\": \"path-hash-v1\""));
    // A checkpoint written before the rule was recorded has no such key at all.
    assertTrue(!Files.readString(dir.resolve("ckpt-00000002.json")).contains("split_rule"));
    assertEquals(SplitRule.SHUFFLE_V1, m.resolve("ckpt-00000002").splitRuleOrOld());
    // ... and keeps it through withFiles, which every save goes through.
    assertEquals("x", CheckpointManagerTest.meta(3, null).toBuilder().splitRule("x").build().toBuilder().files("n", 1, 2, "t").build().splitRule());
  }

  void photos(Path root, String cls, int from, int to) throws IOException {
    Files.createDirectories(root.resolve(cls));
    for (int i = from; i < to; i++) {
      Files.write(root.resolve(cls + "/p" + i + ".jpg"), new byte[] {1});
    }
  }

  Split split(Path root) {
    ImageFolder f = DatasetScan.scan(root);
    return Split.byPathHash(f, f.images(), new Duplicates(List.of()), 0.2, 42);
  }

  @Test
  void aGrownFolderSaysWhatJoinedEachSide() throws IOException {
    Path root = dir.resolve("data");
    photos(root, "a", 0, 20);
    photos(root, "b", 0, 20);
    Split before = split(root);
    Path ck = dir.resolve("ck");
    SplitRecord.write(ck, root, before);
    CheckpointMetadata meta = CheckpointMetadata.builder().files("ckpt-00000010", 0, 0, null).step(10).epoch(1)
        .model(new flowers.model.ModelConfig(32, 2, 42)).classNames(List.of("a", "b")).seed(42).valFraction(0.2)
        .fileListHash(before.fileListHash()).splitRule("path-hash-v1").build();
    assertEquals(Optional.empty(), SplitRecord.changes(ck, meta, root, before), "unchanged: nothing to say");

    photos(root, "a", 20, 30);
    photos(root, "b", 20, 30);
    Files.delete(root.resolve("a/p0.jpg"));
    Split after = split(root);
    String line = SplitRecord.changes(ck, meta, root, after).orElseThrow();
    long newVal = after.val().stream().filter(i -> i.path().getFileName().toString().matches("p(2\\d)\\.jpg")).count();
    assertTrue(line.startsWith("the dataset changed since ckpt-00000010: 20 new images joined (" + (20 - newVal)
        + " train, " + newVal + " validation), 1 left; "), line);
    assertEquals(1, line.lines().count());

    // Without a record (a checkpoint from before records were kept), it says only that the data changed.
    String bare = SplitRecord.changes(dir.resolve("elsewhere"), meta, root, after).orElseThrow();
    assertTrue(bare.startsWith("the dataset changed since ckpt-00000010 (files added or removed"), bare);
  }
}
