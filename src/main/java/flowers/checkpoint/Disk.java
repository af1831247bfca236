package flowers.checkpoint;

import flowers.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file steps of a save once TensorFlow has written the bundle: force, rename into place, write
 * the metadata. An interface only so that tests can fail one of them as a full disk would, on any
 * machine, without mounting a small filesystem.
 */
interface Disk {
  void force(Path file) throws IOException;

  void rename(Path from, Path to) throws IOException;

  void writeAtomically(Path file, String text) throws IOException;

  Disk REAL = new Disk() {
    @Override
    public void force(Path file) throws IOException {
      Json.fsync(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void writeAtomically(Path file, String text) throws IOException {
      Json.writeAtomically(file, text);
    }
  };
}
