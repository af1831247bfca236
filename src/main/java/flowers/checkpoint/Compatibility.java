package flowers.checkpoint;

import flowers.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/** Refuses to load weights into a graph or dataset they were not trained for, with a message that says why. */
public final class Compatibility {
  private Compatibility() {}

  public static void check(CheckpointMetadata meta, ModelConfig wanted, List<String> classNames, Path dir) {
    String where = meta.name() + " in " + dir;
    String fix = ": use another --checkpoint-dir, or --no-resume to start over";
    if (meta.formatVersion() > CheckpointMetadata.FORMAT_VERSION) {
      throw new CheckpointException("checkpoint " + where + " was written by a newer version of this program");
    }
    if (!wanted.variant().equals(meta.model())) {
      throw new CheckpointException("checkpoint " + where + " holds model '" + meta.model()
          + "', this run builds '" + wanted.variant() + "'" + fix);
    }
    if (meta.imageSize() != wanted.imageSize()) {
      throw new CheckpointException("checkpoint " + where + " was trained at --image-size " + meta.imageSize()
          + ", this run asks for " + wanted.imageSize() + fix);
    }
    if (!meta.classNames().equals(classNames)) {
      throw new CheckpointException("checkpoint " + where + " was trained on classes " + summary(meta.classNames())
          + ", the data has " + summary(classNames) + fix);
    }
  }

  private static String summary(List<String> names) {
    String shown = String.join(", ", names.subList(0, Math.min(6, names.size())));
    return names.size() + " [" + shown + (names.size() > 6 ? ", …]" : "]");
  }
}
