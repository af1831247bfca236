package flowers.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@code previous-runs/}: where a new run sets aside the run its folder held, whole. */
final class PreviousRuns {
  private PreviousRuns() {}

  static final String FOLDER = "previous-runs";

  /**
   * Moves the run this folder holds into {@code previous-runs/<runId>/}: every {@code ckpt-*} file
   * and each of {@code runFiles} (history, logs, … : whatever the run wrote here) that exists, so
   * that a new run starts in an empty folder and {@code latest}, {@code best} and the pruning of
   * keep-last-N can never mix two runs. Each file moves by an atomic rename: the metadata files
   * first, oldest first (a checkpoint ceases to exist here with its metadata), then the bundles and
   * the rest, so an interruption leaves the old run's newest checkpoints complete where they were;
   * nothing is deleted, and the next call moves the rest into the same folder. Other files (the
   * user's own) stay.
   *
   * @return the folder the run went to; empty when there was nothing to move
   */
  static Optional<Path> setAside(Path dir, String runId, List<String> runFiles) {
    List<Path> files = new ArrayList<>();
    try {
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, CheckpointManager.PREFIX + "*")) {
          all.forEach(files::add);
        }
      }
      // Names hold the zero-padded step, so name order is step order.
      files.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().endsWith(CheckpointManager.META))
          .thenComparing(p -> p.getFileName().toString()));
      for (String f : runFiles) {
        if (Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
          files.add(dir.resolve(f));
        }
      }
      if (files.isEmpty()) {
        return Optional.empty();
      }
      Path target = dir.resolve(FOLDER).resolve(runId);
      for (int n = 2; clashes(target, files); n++) {
        target = dir.resolve(FOLDER).resolve(runId + "-" + n);
      }
      Files.createDirectories(target);
      for (Path f : files) {
        Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      return Optional.of(target);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException("could not move the previous run in " + dir + " into " + FOLDER + "/"
          + runId + " (" + CheckpointManager.reason(e) + "); nothing was deleted: move its files away yourself, or use another"
          + " --checkpoint-dir", e);
    }
  }

  private static boolean clashes(Path target, List<Path> files) {
    return files.stream().anyMatch(f -> Files.exists(target.resolve(f.getFileName()), LinkOption.NOFOLLOW_LINKS));
  }

}
