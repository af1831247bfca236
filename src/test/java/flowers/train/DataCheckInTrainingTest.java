package flowers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.checkpoint.SplitRecord;
import flowers.data.DatasetScan;
import flowers.data.Split;
import flowers.data.SyntheticFlowers;
import flowers.testing.ImageCopies;
import flowers.tf.Device;
import flowers.tf.Precision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code train} says about its data before it starts, and the split it keeps across resumes. */
class DataCheckInTrainingTest {
  @TempDir Path dir;

  /** {@code root/<class>/<prefix>NN.jpg}, 40 px synthetic flowers: different pictures, unlike the easy images. */
  static void flowers(Path root, int from, int to, String prefix) throws IOException {
    String[] classes = {"daisy", "rose", "tulip"};
    int[] species = {6, 17, 19};
    for (int k = 0; k < 3; k++) {
      Files.createDirectories(root.resolve(classes[k]));
      for (int i = from; i < to; i++) {
        var img = SyntheticFlowers.draw(species[k], 40, new Random(prefix.hashCode() * 1000L + 100L * k + i));
        Files.write(root.resolve(classes[k] + "/" + prefix + String.format("%02d.jpg", i)), ImageCopies.jpeg(img, 0.9f));
      }
    }
  }

  static TrainConfig config(Path data, Path checkpoints, long maxSteps) {
    return TrainConfig.builder(data, checkpoints).imageSize(32).batchSize(4).epochs(50).maxSteps(maxSteps)
        .valFraction(0.25).seed(7).saveEvery(100).keep(3).threads(1).loaderThreads(1)
        .schedule(LearningRateSchedule.Kind.CONSTANT).warmupSteps(0).precision(Precision.FP32).logEvery(1000)
        .device(Device.CPU).build();
  }

  record Run(String out, List<String> warnings) {}

  static Run train(TrainConfig config) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<String> warnings = new ArrayList<>();
    try (StopSignal stop = StopSignal.manual()) {
      new Trainer(config, new PrintStream(log, true, StandardCharsets.UTF_8), warnings::add, stop).run();
    }
    return new Run(log.toString(StandardCharsets.UTF_8), warnings);
  }

  static Map<String, String> sides(Path checkpoints) {
    CheckpointMetadata latest = new CheckpointManager(checkpoints, 5, w -> {}).latest().orElseThrow();
    return SplitRecord.read(checkpoints, latest.fileListHash()).orElseThrow().files();
  }

  @Test
  void aGrownFolderMovesNoEarlierPhotoAndSaysWhatJoined() throws IOException {
    Path data = dir.resolve("data");
    Path ck = dir.resolve("ck");
    flowers(data, 0, 12, "a");
    Run first = train(config(data, ck, 1));
    assertTrue(first.out().lines().anyMatch(l -> l.startsWith("data check: 3 classes, 27 train / 9 validation images"
        + " (split path-hash-v3), imbalance 1.00; 0 unreadable; sizes 40 x 40 px, aspect 1.00; 0 duplicate groups")), first.out());
    assertEquals("path-hash-v3", new CheckpointManager(ck, 5, w -> {}).latest().orElseThrow().splitRule());
    Map<String, String> before = sides(ck);
    assertEquals(36, before.size());

    flowers(data, 0, 7, "b"); // 21 more photos ...
    Files.delete(data.resolve("tulip/b06.jpg")); // ... 20 in all
    Run second = train(config(data, ck, 2));
    Map<String, String> after = sides(ck);
    assertEquals(56, after.size());
    long newVal = after.entrySet().stream().filter(e -> !before.containsKey(e.getKey()) && e.getValue().equals("val")).count();
    assertTrue(second.out().contains("the dataset changed since ckpt-00000001: 20 new images joined (" + (20 - newVal)
        + " train, " + newVal + " validation), 0 left; "), second.out());

    // No earlier photo changed side, and each class holds out exactly its quota again (path-hash-v2).
    before.forEach((p, side) -> assertEquals(side, after.get(p), p));
    for (String cls : List.of("daisy", "rose", "tulip")) {
      int n = (int) after.keySet().stream().filter(p -> p.startsWith(cls + "/")).count();
      assertEquals(Split.quota(n, 0.25), count(after, cls, null), cls);
    }
    assertTrue(second.out().contains("no earlier image changed side"), second.out());
  }

  /** Validation photos of a class in a record; with {@code except}, only those not in it. */
  static int count(Map<String, String> sides, String cls, Map<String, String> except) {
    return (int) sides.entrySet().stream().filter(e -> e.getKey().startsWith(cls + "/") && e.getValue().equals("val")
        && (except == null || !except.containsKey(e.getKey()))).count();
  }

  @Test
  void anOldCheckpointKeepsItsSplitAndALeakMakesTrainWarn() throws IOException {
    Path data = dir.resolve("data");
    Path ck = dir.resolve("ck");
    flowers(data, 0, 10, "a");
    // A copy of some photo, placed where the old rule's shuffle puts it on the other side than its
    // original. The old rule depends only on the paths, so the copy's content can be chosen after.
    Path copy = data.resolve("daisy/zz_copy.jpg");
    Files.copy(data.resolve("daisy/a00.jpg"), copy);
    Split old = Split.stratified(DatasetScan.scan(data), 0.25, 7);
    boolean copyInVal = old.val().stream().anyMatch(i -> i.path().equals(copy));
    Path original = (copyInVal ? old.train() : old.val()).stream().map(i -> i.path())
        .filter(p -> p.getParent().getFileName().toString().equals("daisy") && !p.equals(copy)).findFirst().orElseThrow();
    Files.copy(original, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Run fresh = train(config(data, ck, 1));
    assertTrue(fresh.out().contains("1 duplicate group (1 exact, 0 near: dHash within 7 of 64 bits and 16x16 thumbnails within 5 grey levels), 0 across classes,"
        + " 0 across train/validation"), fresh.out());
    assertFalse(fresh.warnings().stream().anyMatch(w -> w.contains("across train and validation")), fresh.warnings().toString());

    // The same checkpoint as a version from before split rules were recorded would have written it.
    try (Stream<Path> files = Files.list(ck)) {
      for (Path json : files.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.json")).toList()) {
        String text = Files.readString(json);
        String stripped = text.replaceAll(",\\s*\"split_rule\": \"[a-z0-9-]+\"", "");
        assertFalse(stripped.equals(text) || stripped.contains("split_rule"), text);
        Files.writeString(json, stripped);
      }
    }
    Run resumed = train(config(data, ck, 2));
    assertTrue(resumed.out().contains("(split shuffle-v1)"), resumed.out());
    assertTrue(resumed.out().contains("1 across train/validation"), resumed.out());
    String leak = resumed.warnings().stream().filter(w -> w.contains("across train and validation")).findFirst().orElse("");
    assertTrue(leak.startsWith("1 duplicate group across train and validation (daisy/"), resumed.warnings().toString());
    assertTrue(leak.contains("daisy/zz_copy.jpg"), leak);
    // The resumed run kept the old split and says so in its checkpoints.
    assertEquals("shuffle-v1", new CheckpointManager(ck, 5, w -> {}).latest().orElseThrow().splitRule());
    Map<String, String> expected = new HashMap<>();
    old.train().forEach(i -> expected.put(Split.relative(data, i.path()), "train"));
    old.val().forEach(i -> expected.put(Split.relative(data, i.path()), "val"));
    assertEquals(expected, sides(ck));
  }
}
