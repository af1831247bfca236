package flowers.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Scans and decodes a folder and prints the counts: run in a child JVM with another locale. */
public final class LoaderProbe {
  public static void main(String[] args) {
    ImageFolder folder = DatasetScan.scan(Path.of(args[0]));
    List<String> warnings = new ArrayList<>();
    int decoded = 0;
    try (BatchLoader loader = new BatchLoader(folder.images(), new LoaderConfig(32, 8, 1, 1, 2, false, false, null),
        warnings::add)) {
      for (Batch b : loader.epoch(0, 0)) {
        decoded += b.size();
      }
      System.out.println("decoded " + decoded + " failed " + loader.skippedCount());
    }
  }
}
