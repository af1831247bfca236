package flowers.checkpoint;

import flowers.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;
import org.tensorflow.Session;

/**
 * The checkpoint folder: atomic saves, keep-last-N plus the best, and a "latest" that is never a
 * half-written bundle.
 *
 * <p>A save goes to a hidden temporary folder, is forced to disk, and its two files are renamed into
 * place; the metadata file comes last and is what makes a checkpoint exist. A crash at any moment
 * therefore leaves either the new checkpoint complete or no trace of it beside the previous ones.
 */
public final class CheckpointManager {

  public static final String PREFIX = "ckpt-";
  static final String INDEX = ".index";
  static final String DATA = ".data-00000-of-00001";
  static final String META = ".json";

  private final Path dir;
  private final int keep;
  private final Consumer<String> warn;
  private final Disk disk;

  public CheckpointManager(Path dir, int keep, Consumer<String> warn) {
    this(dir, keep, warn, Disk.REAL);
  }

  CheckpointManager(Path dir, int keep, Consumer<String> warn, Disk disk) {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep must be at least 1, got " + keep);
    }
    this.dir = dir;
    this.keep = keep;
    this.warn = warn;
    this.disk = disk;
  }

  public Path dir() {
    return dir;
  }

  /**
   * The TF prefix to pass to {@code Session.restore}: beside the metadata's own file, which need not
   * be in this folder ({@code --checkpoint other/ckpt-…}).
   */
  public String prefix(CheckpointMetadata meta) {
    return (meta.folder() != null ? meta.folder() : dir).resolve(meta.name()).toString();
  }

  /**
   * Loads {@code meta}'s weights into a session whose graph has the same variable names; a damaged
   * bundle or one from another model ends in one clear message.
   */
  public void restore(Session session, CheckpointMetadata meta) {
    try {
      session.restore(prefix(meta));
    } catch (RuntimeException e) {
      throw new CheckpointException("checkpoint " + meta.name() + " cannot be restored (" + reason(e) + "): it is damaged"
          + " or from another model; delete it, or train with --no-resume", e);
    }
  }

  /**
   * {@link #restore} for inference: where the run kept weight averages ({@code --ema-decay}), they
   * replace the weights, as validation used them.
   *
   * @param weights the graph's weights (the network's variables)
   */
  public void restoreForInference(org.tensorflow.Graph graph, Session session, CheckpointMetadata meta,
      java.util.List<org.tensorflow.op.core.Variable<org.tensorflow.types.TFloat32>> weights) {
    restore(session, meta);
    if (meta.weightAverages()) {
      AverageRestore.restore(graph, session, prefix(meta), weights);
    }
  }

  /**
   * Saves the session's variables and {@code meta}, then prunes; returns the metadata as written. A
   * failed save (a full disk) leaves no file of it behind, and the previous checkpoints as they were.
   */
  public CheckpointMetadata save(Session session, CheckpointMetadata meta) {
    String name = String.format("%s%08d", PREFIX, meta.step());
    Path tmp = dir.resolve(".tmp-" + name + "-" + System.nanoTime());
    List<Path> placed = new ArrayList<>();
    boolean exists = false;
    try {
      Files.createDirectories(tmp);
      session.save(tmp.resolve(name).toString());
      disk.force(tmp.resolve(name + DATA));
      disk.force(tmp.resolve(name + INDEX));
      CheckpointMetadata written = meta.toBuilder().files(name, Files.size(tmp.resolve(name + INDEX)),
          Files.size(tmp.resolve(name + DATA)), Instant.now().toString()).folder(dir).build();
      for (String file : List.of(name + DATA, name + INDEX)) {
        placed.add(dir.resolve(file));
        disk.rename(tmp.resolve(file), dir.resolve(file));
      }
      disk.writeAtomically(dir.resolve(name + META), Json.GSON.toJson(written));
      exists = true;
      prune(written);
      return written;
    } catch (IOException | RuntimeException e) {
      if (!exists) {
        placed.forEach(f -> FileUtils.deleteQuietly(f.toFile())); // weights without metadata are no checkpoint
      }
      throw new CheckpointException(
          "could not save checkpoint " + name + " in " + dir + ": " + reason(e)
              + " (the previous checkpoints are intact; free disk space or choose another --checkpoint-dir)",
          e);
    } finally {
      FileUtils.deleteQuietly(tmp.toFile());
    }
  }

  /** Every complete checkpoint, oldest first. Incomplete ones are reported once and left out. */
  public List<CheckpointMetadata> list() {
    List<CheckpointMetadata> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + META)) {
      for (Path file : files) {
        read(file).ifPresent(found::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(Comparator.comparingLong(CheckpointMetadata::step));
    return found;
  }

  public Optional<CheckpointMetadata> latest() {
    List<CheckpointMetadata> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The checkpoint with the highest validation top-1 (the latest among equals). */
  public Optional<CheckpointMetadata> best() {
    return best(list());
  }

  private static Optional<CheckpointMetadata> best(List<CheckpointMetadata> all) {
    return all.stream()
        .filter(m -> !Double.isNaN(m.valTop1()))
        .max(Comparator.comparingDouble(CheckpointMetadata::valTop1).thenComparingLong(CheckpointMetadata::step));
  }

  /**
   * Finds a checkpoint by what a user types: {@code latest}, {@code best}, a name such as
   * {@code ckpt-00000200}, or a prefix path (with or without {@code .index}).
   */
  public CheckpointMetadata resolve(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("latest")) {
      return latest()
          .orElseThrow(() -> new CheckpointException("no checkpoint in " + dir + ": run train first, or pass --checkpoint-dir"));
    }
    if (spec.equals("best")) {
      return best()
          .orElseThrow(() -> new CheckpointException("no checkpoint with a validation accuracy in " + dir));
    }
    String s = spec.endsWith(INDEX) ? spec.substring(0, spec.length() - INDEX.length()) : spec;
    Path prefix = Path.of(s);
    Path metaFile = (prefix.getParent() == null ? dir.resolve(s) : prefix).resolveSibling(prefix.getFileName() + META);
    Path folder = metaFile.getParent();
    return new CheckpointManager(folder, keep, warn)
        .read(metaFile)
        .orElseThrow(() -> new CheckpointException("no usable checkpoint at " + spec + " (expected " + metaFile + ")"));
  }

  private Optional<CheckpointMetadata> read(Path metaFile) {
    if (!Files.isRegularFile(metaFile)) {
      return Optional.empty();
    }
    CheckpointMetadata meta;
    try {
      meta = Json.GSON.fromJson(Files.readString(metaFile, StandardCharsets.UTF_8), CheckpointMetadata.class);
    } catch (IOException | RuntimeException e) {
      warn.accept("skipping checkpoint " + metaFile.getFileName() + ": unreadable metadata (" + reason(e) + ")");
      return Optional.empty();
    }
    if (meta == null || meta.name() == null) {
      warn.accept("skipping checkpoint " + metaFile.getFileName() + ": empty metadata");
      return Optional.empty();
    }
    Path folder = metaFile.getParent();
    CheckpointMetadata found = meta.inFolder(folder);
    String problem =
        sizeProblem(folder.resolve(found.name() + INDEX), found.indexBytes())
            .or(() -> sizeProblem(folder.resolve(found.name() + DATA), found.dataBytes()))
            .orElse(null);
    if (problem != null) {
      warn.accept("skipping checkpoint " + found.name() + ": " + problem + "; falling back to an earlier one");
      return Optional.empty();
    }
    return Optional.of(found);
  }

  private static Optional<String> sizeProblem(Path file, long expected) {
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.of(file.getFileName() + " is missing");
      }
      long size = Files.size(file);
      return size == expected
          ? Optional.empty()
          : Optional.of(file.getFileName() + " has " + size + " bytes, expected " + expected);
    } catch (IOException e) {
      return Optional.of(file.getFileName() + " is unreadable");
    }
  }

  /**
   * Keeps the newest {@code keep} checkpoints of {@code saved}'s run, its best one and {@code saved}
   * itself; deletes the rest of that run. Another run's checkpoints are never this save's to delete.
   */
  private void prune(CheckpointMetadata saved) throws IOException {
    List<CheckpointMetadata> all = list().stream().filter(m -> sameRun(m, saved.runId())).toList();
    Set<String> kept = new HashSet<>();
    for (int i = Math.max(0, all.size() - keep); i < all.size(); i++) {
      kept.add(all.get(i).name());
    }
    best(all).ifPresent(b -> kept.add(b.name()));
    kept.add(saved.name());
    for (CheckpointMetadata m : all) {
      if (!kept.contains(m.name())) {
        // Metadata first: a crash mid-delete leaves orphan files, never a checkpoint without weights.
        Files.deleteIfExists(dir.resolve(m.name() + META));
        Files.deleteIfExists(dir.resolve(m.name() + INDEX));
        Files.deleteIfExists(dir.resolve(m.name() + DATA));
      }
    }
  }

  /**
   * Whether {@code m} belongs to run {@code runId}. Checkpoints from before run ids belong to any
   * run: beside a run with an id they can only be that run's beginning, resumed by this version.
   */
  static boolean sameRun(CheckpointMetadata m, String runId) {
    return m.runId() == null || runId == null || m.runId().equals(runId);
  }

  /** Where {@link #setAside} puts the runs a new run replaces, one sub-folder per run id. */
  public static final String PREVIOUS_RUNS = PreviousRuns.FOLDER;

  /** {@link PreviousRuns#setAside} of this folder. */
  public Optional<Path> setAside(String runId, List<String> runFiles) {
    return PreviousRuns.setAside(dir, runId, runFiles);
  }

  /** The first line of an exception's message: TF's messages go on with graph details users don't need. */
  public static String reason(Throwable e) {
    return flowers.tf.Messages.firstLine(e);
  }
}
