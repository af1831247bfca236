package flowers.data;

import com.google.gson.reflect.TypeToken;
import flowers.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Fingerprint} of every file, on a few threads, remembered in an optional cache file so
 * that a resumed run or an evaluation does not decode again what the run already fingerprinted.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /**
   * Bumped whenever a fingerprint of the same bytes would come out different, or the file's keys
   * change (2: snake_case, as the project's one {@link Json} helper writes them; 3: the 16×16
   * {@link Thumbnail} that confirms near duplicates).
   */
  static final int VERSION = 3;

  /** A cache entry: valid while the file keeps its size and modification time. */
  private record Entry(String path, long bytes, long modified, Fingerprint fingerprint) {}

  private record CacheFile(int version, List<Entry> entries) {}

  /** Fingerprints {@code files}; {@code cache} (may be null) is read first and rewritten when it changed. */
  public static Map<Path, Fingerprint> of(List<Path> files, int threads, Path cache) {
    Map<String, Entry> known = read(cache);
    Map<Path, Fingerprint> out = new ConcurrentHashMap<>();
    Map<Path, Entry> fresh = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger reused = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (int t = 0; t < Math.max(1, Math.min(threads, files.size())); t++) {
      Thread w = new Thread(() -> {
        // Made on the first file the cache does not know: a run that resumes needs no TF graph here.
        Fingerprinter f = null;
        try {
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            Path file = files.get(i);
            String key = file.toAbsolutePath().normalize().toString();
            long[] stat = stat(file);
            Entry e = known.get(key);
            if (e != null && stat != null && e.bytes() == stat[0] && e.modified() == stat[1]) {
              out.put(file, e.fingerprint());
              reused.incrementAndGet();
              continue;
            }
            f = f != null ? f : new Fingerprinter();
            Fingerprint fp = fingerprint(f, file);
            out.put(file, fp);
            if (stat != null) {
              fresh.put(file, new Entry(key, stat[0], stat[1], fp));
            }
          }
        } catch (RuntimeException e) {
          synchronized (failures) {
            failures.add(e);
          }
        } finally {
          if (f != null) {
            f.close();
          }
        }
      }, "fingerprint-" + t);
      w.setDaemon(true);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while fingerprinting images", e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    if (cache != null && (!fresh.isEmpty() || reused.get() < known.size())) {
      write(cache, known, files, fresh);
    }
    // In the order of the files given, so that every later step is deterministic.
    Map<Path, Fingerprint> ordered = new LinkedHashMap<>();
    files.forEach(f -> ordered.put(f, out.get(f)));
    return ordered;
  }

  private static Fingerprint fingerprint(Fingerprinter f, Path file) {
    try {
      return f.of(BatchLoader.read(file));
    } catch (NoSuchFileException e) {
      return Fingerprint.failed(null, "file vanished");
    } catch (IOException e) {
      return Fingerprint.failed(null, "unreadable (" + e.getMessage() + ")");
    } catch (DecodeException e) {
      return Fingerprint.failed(null, e.getMessage());
    }
  }

  private static long[] stat(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new long[] {a.size(), a.lastModifiedTime().toMillis()};
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, Entry> read(Path cache) {
    Map<String, Entry> known = new HashMap<>();
    if (cache == null || !Files.isRegularFile(cache)) {
      return known;
    }
    try {
      CacheFile c = Json.LINE.fromJson(Files.readString(cache, StandardCharsets.UTF_8), new TypeToken<CacheFile>() {}.getType());
      if (c != null && c.version() == VERSION && c.entries() != null) {
        c.entries().forEach(e -> known.put(e.path(), e));
      }
    } catch (IOException | RuntimeException e) {
      // A damaged cache only costs the time to fingerprint again.
    }
    return known;
  }

  /** The entries of {@code files} only, so that photos deleted from the folder leave the cache too. */
  private static void write(Path cache, Map<String, Entry> known, List<Path> files, Map<Path, Entry> fresh) {
    List<Entry> all = new ArrayList<>();
    for (Path f : files) {
      Entry e = fresh.get(f);
      e = e != null ? e : known.get(f.toAbsolutePath().normalize().toString());
      if (e != null) {
        all.add(e);
      }
    }
    try {
      Json.writeAtomically(cache, Json.LINE.toJson(new CacheFile(VERSION, all)));
    } catch (IOException | RuntimeException e) {
      // A read-only checkpoint folder: the next run fingerprints again, nothing worse.
    }
  }
}
