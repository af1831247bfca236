package flowers.json;

import com.google.gson.ExclusionStrategy;
import com.google.gson.FieldAttributes;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The project's one JSON helper: snake_case keys, as every file and output of the project uses,
 * NaN and infinities kept (a diverged loss is a fact worth recording), and atomic file writes. It
 * sits below every other package so that data, checkpoints, run logs and commands share it.
 */
public final class Json {
  private Json() {}

  /** Pretty-printed: files people open (metadata, configs, {@code --json} outputs). */
  public static final Gson GSON = builder().setPrettyPrinting().create();

  /** One line per value: {@code .jsonl} files and caches that are appended to or read by machines only. */
  public static final Gson LINE = builder().create();

  private static GsonBuilder builder() {
    return new GsonBuilder()
        .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
        .serializeSpecialFloatingPointValues()
        .disableHtmlEscaping()
        .registerTypeHierarchyAdapter(Path.class, new PathAdapter())
        .setExclusionStrategies(new NotStoredFields());
  }

  /** A record component that lives in memory only: files never hold it, and reading one leaves it null. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
  public @interface NotStored {}

  private static final class NotStoredFields implements ExclusionStrategy {
    @Override
    public boolean shouldSkipField(FieldAttributes f) {
      return f.getAnnotation(NotStored.class) != null;
    }

    @Override
    public boolean shouldSkipClass(Class<?> c) {
      return false;
    }
  }

  /** Paths as plain strings: Gson cannot reflect into the JDK's Path classes. */
  private static final class PathAdapter extends TypeAdapter<Path> {
    @Override
    public void write(JsonWriter out, Path value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else {
        out.value(value.toString());
      }
    }

    @Override
    public Path read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return null;
      }
      return Path.of(in.nextString());
    }
  }

  /** {@link #GSON}'s text of {@code value}, written atomically. */
  public static void write(Path file, Object value) throws IOException {
    writeAtomically(file, GSON.toJson(value));
  }

  /**
   * Writes to a temporary sibling, forces it to disk, then renames: readers see old or new, never
   * half. The parent folder is created if missing.
   */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      fsync(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // A full disk must not leave a half-written sibling behind for the next run to trip over.
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
