package flowers.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A scanned dataset folder.
 *
 * @param classNames sorted class folder names; a class's index is its position here
 * @param images every usable image, class by class, sorted by path within a class
 * @param skipped entries that were left out, with the reason
 */
public record ImageFolder(Path root, List<String> classNames, List<LabeledImage> images, List<Skipped> skipped) {

  /** One warning line per left-out entry, naming it and the reason. */
  public void warnSkipped(java.util.function.Consumer<String> warn) {
    for (Skipped s : skipped) {
      warn.accept("skipping " + s.path() + ": " + s.reason());
    }
  }
}
