package flowers.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, native TensorFlow buffers included (Linux; NaN elsewhere). */
public final class Memory {
  private Memory() {}

  /** Resident set size now, MB. */
  public static double rssMb() {
    return status("VmRSS");
  }

  /** Peak resident set size so far, MB. */
  public static double peakRssMb() {
    return status("VmHWM");
  }

  private static double status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
