package flowers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up in the middle of a save, at each of its steps, on any machine: the save
 * fails with a clear message, the previous checkpoint stays the latest and restorable, and no file
 * of the failed save is left.
 */
class FullDiskTest {
  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  /** The real disk until {@link #fullAt} names a step; that step then fails as ENOSPC does. */
  static final class FillingDisk implements Disk {
    String fullAt = "";

    private void check(String step, Path file) throws IOException {
      if (step.equals(fullAt)) {
        throw new IOException(file + ": No space left on device");
      }
    }

    @Override
    public void force(Path file) throws IOException {
      check("force", file);
      Disk.REAL.force(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
      // The index moves second: the data file is then already in place, and must go again.
      check(from.toString().endsWith(CheckpointManager.INDEX) ? "rename" : "-", from);
      Disk.REAL.rename(from, to);
    }

    @Override
    public void writeAtomically(Path file, String text) throws IOException {
      check("metadata", file);
      Disk.REAL.writeAtomically(file, text);
    }
  }

  @Test
  void aFullDiskKeepsThePreviousCheckpointAndLeavesNothingOfTheNewOne() throws IOException {
    for (String step : List.of("force", "rename", "metadata")) {
      Path ck = dir.resolve(step);
      FillingDisk disk = new FillingDisk();
      CheckpointManager m = new CheckpointManager(ck, 5, warnings::add, disk);
      try (CheckpointManagerTest.Tiny t = new CheckpointManagerTest.Tiny()) {
        t.set(7f);
        CheckpointMetadata first = m.save(t.s, CheckpointManagerTest.meta(1, null));
        disk.fullAt = step;
        t.set(9f);
        CheckpointException e = assertThrows(CheckpointException.class,
            () -> m.save(t.s, CheckpointManagerTest.meta(2, null)), step);
        assertTrue(e.getMessage().startsWith("could not save checkpoint ckpt-00000002 in "), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("the previous checkpoints are intact"), e.getMessage());
        assertEquals(first, m.latest().orElseThrow(), step);
        try (Stream<Path> files = Files.list(ck)) {
          assertEquals(List.of("ckpt-00000001.data-00000-of-00001", "ckpt-00000001.index", "ckpt-00000001.json"),
              files.map(p -> p.getFileName().toString()).sorted().toList(), step);
        }
        m.restore(t.s, first);
        assertEquals(7f, t.get(), step);
      }
    }
    assertEquals(List.of(), warnings, "nothing half-written to skip");
  }
}
