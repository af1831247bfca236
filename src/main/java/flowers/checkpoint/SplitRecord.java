package flowers.checkpoint;

import flowers.json.Json;
import flowers.data.LabeledImage;
import flowers.data.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which side each photo of a run's dataset was on, kept beside the checkpoints as
 * {@code splits/<file list hash>.json}. A checkpoint records only the hash of its file list; this
 * file lets a resume or an evaluation on a grown folder say which photos are new and where they went.
 *
 * @param rule the split rule's id
 * @param files relative path → "train" or "val"
 */
public record SplitRecord(String rule, Map<String, String> files) {

  static final String DIR = "splits";

  /** Writes the record of {@code split} (over an older one of the same file list). */
  public static void write(Path checkpointDir, Path dataRoot, Split split) throws IOException {
    Map<String, String> files = split.sides(dataRoot);
    Path dir = checkpointDir.resolve(DIR);
    Files.createDirectories(dir);
    Json.writeAtomically(dir.resolve(split.fileListHash() + ".json"), Json.GSON.toJson(new SplitRecord(split.rule().id, files)));
  }

  /** The record of the file list a checkpoint was trained on, if it was kept. */
  public static Optional<SplitRecord> read(Path checkpointDir, String fileListHash) {
    Path file = checkpointDir.resolve(DIR).resolve(fileListHash + ".json");
    if (fileListHash == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(Json.GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), SplitRecord.class))
          .filter(r -> r.files() != null);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Which side each photo was on in the split {@code meta} was trained with (relative path → "train"
   * or "val"), which a stable split keeps; empty without a checkpoint or its record.
   */
  public static Map<String, String> sides(Path checkpointDir, CheckpointMetadata meta) {
    return meta == null ? Map.of() : read(checkpointDir, meta.fileListHash()).map(SplitRecord::files).orElse(Map.of());
  }

  /**
   * One line on how the dataset changed since {@code since} was trained, or empty when it did not.
   * With the checkpoint's split record: how many new photos joined each side, how many left, and
   * how many photos it knew changed side; without one, only that it changed.
   */
  public static Optional<String> changes(Path checkpointDir, CheckpointMetadata since, Path dataRoot, Split now) {
    if (since == null || now.fileListHash().equals(since.fileListHash())) {
      return Optional.empty();
    }
    Optional<SplitRecord> before = read(checkpointDir, since.fileListHash());
    if (before.isEmpty()) {
      return Optional.of("the dataset changed since " + since.name() + " (files added or removed; no record of its split"
          + " to compare with): the " + now.rule().id + " split is recomputed");
    }
    Map<String, String> old = before.get().files();
    int newTrain = 0;
    int newVal = 0;
    int toVal = 0;
    int toTrain = 0;
    int kept = 0;
    for (LabeledImage i : now.train()) {
      String was = old.get(Split.relative(dataRoot, i.path()));
      if (was == null) {
        newTrain++;
      } else {
        kept++;
        toTrain += was.equals("val") ? 1 : 0;
      }
    }
    for (LabeledImage i : now.val()) {
      String was = old.get(Split.relative(dataRoot, i.path()));
      if (was == null) {
        newVal++;
      } else {
        kept++;
        toVal += was.equals("train") ? 1 : 0;
      }
    }
    int gone = old.size() - kept;
    String moved = toVal + toTrain == 0 ? "no earlier image changed side"
        : (toVal + toTrain) + " earlier image" + (toVal + toTrain == 1 ? "" : "s") + " changed side (" + toVal
            + " trained on before, now validation; " + toTrain + " the other way)";
    return Optional.of(String.format("the dataset changed since %s: %d new images joined (%d train, %d validation),"
        + " %d left; %s", since.name(), newTrain + newVal, newTrain, newVal, gone, moved));
  }
}
