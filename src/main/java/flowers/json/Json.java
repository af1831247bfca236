package flowers.json;

import com.google.gson.ExclusionStrategy;
import com.google.gson.FieldAttributes;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        .setExclusionStrategies(new NotStoredFields())
        .registerTypeAdapterFactory(new Flattening());
  }

  /** A record component that lives in memory only: files never hold it, and reading one leaves it null. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
  public @interface NotStored {}

  /**
   * A record component that is itself a record, written as its fields beside its owner's (and read
   * back from there): a config can group fields without changing the files that hold it.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
  public @interface Flat {}

  private static final class Flattening implements TypeAdapterFactory {
    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
      Class<?> raw = type.getRawType();
      if (!raw.isRecord()) {
        return null;
      }
      List<RecordComponent> flat = Arrays.stream(raw.getRecordComponents())
          .filter(c -> c.isAnnotationPresent(Flat.class)).toList();
      if (flat.isEmpty()) {
        return null;
      }
      TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
      TypeAdapter<JsonElement> elements = gson.getAdapter(JsonElement.class);
      return new TypeAdapter<T>() {
        @Override
        public void write(JsonWriter out, T value) throws IOException {
          if (value == null) {
            out.nullValue();
            return;
          }
          JsonObject nested = delegate.toJsonTree(value).getAsJsonObject();
          JsonObject flattened = new JsonObject();
          for (Map.Entry<String, JsonElement> e : nested.entrySet()) {
            if (isFlat(e.getKey()) && e.getValue().isJsonObject()) {
              e.getValue().getAsJsonObject().entrySet().forEach(f -> flattened.add(f.getKey(), f.getValue()));
            } else {
              flattened.add(e.getKey(), e.getValue());
            }
          }
          elements.write(out, flattened);
        }

        @Override
        public T read(JsonReader in) throws IOException {
          JsonElement read = elements.read(in);
          if (read == null || read.isJsonNull()) {
            return null;
          }
          JsonObject o = read.getAsJsonObject().deepCopy();
          for (RecordComponent c : flat) {
            JsonObject part = new JsonObject();
            for (RecordComponent inner : c.getType().getRecordComponents()) {
              String key = key(inner);
              if (o.has(key)) {
                part.add(key, o.remove(key));
              }
            }
            o.add(key(c), part);
          }
          return delegate.fromJsonTree(o);
        }

        private boolean isFlat(String key) {
          return flat.stream().anyMatch(c -> key(c).equals(key));
        }
      };
    }

    private static String key(RecordComponent c) {
      try {
        return FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(
            c.getDeclaringRecord().getDeclaredField(c.getName()));
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e); // a record always has a field per component
      }
    }
  }

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
