package flowers.checkpoint;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** snake_case JSON, as every file and output of the project uses, and atomic file writes. */
public final class Json {
  private Json() {}

  public static final Gson GSON =
      new GsonBuilder()
          .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
          .serializeSpecialFloatingPointValues()
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .registerTypeHierarchyAdapter(Path.class, new PathAdapter())
          .registerTypeAdapter(flowers.data.AugmentPolicy.class, new AugmentAdapter())
          .setExclusionStrategies(new NotStoredFields())
          .create();

  /** {@code "light"}, as the flag says it; reads the {@code true}/{@code false} of configs written before policies. */
  private static final class AugmentAdapter extends com.google.gson.TypeAdapter<flowers.data.AugmentPolicy> {
    @Override
    public void write(com.google.gson.stream.JsonWriter out, flowers.data.AugmentPolicy value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else {
        out.value(value.name().toLowerCase(java.util.Locale.ROOT));
      }
    }

    @Override
    public flowers.data.AugmentPolicy read(com.google.gson.stream.JsonReader in) throws IOException {
      return switch (in.peek()) {
        case NULL -> {
          in.nextNull();
          yield null;
        }
        case BOOLEAN -> in.nextBoolean() ? flowers.data.AugmentPolicy.STRONG : flowers.data.AugmentPolicy.NONE;
        default -> flowers.data.AugmentPolicy.parse(in.nextString());
      };
    }
  }

  /** A record component that lives in memory only: files never hold it, and reading one leaves it null. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target({java.lang.annotation.ElementType.FIELD, java.lang.annotation.ElementType.RECORD_COMPONENT})
  public @interface NotStored {}

  private static final class NotStoredFields implements com.google.gson.ExclusionStrategy {
    @Override
    public boolean shouldSkipField(com.google.gson.FieldAttributes f) {
      return f.getAnnotation(NotStored.class) != null;
    }

    @Override
    public boolean shouldSkipClass(Class<?> c) {
      return false;
    }
  }

  /** Paths as plain strings: Gson cannot reflect into the JDK's Path classes. */
  private static final class PathAdapter extends com.google.gson.TypeAdapter<Path> {
    @Override
    public void write(com.google.gson.stream.JsonWriter out, Path value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else {
        out.value(value.toString());
      }
    }

    @Override
    public Path read(com.google.gson.stream.JsonReader in) throws IOException {
      if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
        in.nextNull();
        return null;
      }
      return Path.of(in.nextString());
    }
  }

  /** Writes to a temporary sibling, forces it to disk, then renames: readers see old or new, never half. */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    fsync(tmp);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
