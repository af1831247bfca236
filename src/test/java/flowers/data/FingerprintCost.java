package flowers.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * What the data check costs per image, against the decode training does anyway, then the whole
 * check with and without its cache: {@code java -cp <test classpath> flowers.data.FingerprintCost
 * DIR}. One thread, files read from the page cache; best of three passes. Not a test: timings
 * belong in the README.
 */
public final class FingerprintCost {
  public static void main(String[] args) throws Exception {
    List<Path> files = DatasetScan.scan(Path.of(args[0])).images().stream().map(LabeledImage::path).toList();
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 224;
    for (Path f : files) {
      Files.readAllBytes(f); // page cache
    }
    report("read + SHA-256", files, f -> MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    try (Fingerprinter scaled = new Fingerprinter(true); Fingerprinter full = new Fingerprinter(false);
        ImageDecoder decoder = new ImageDecoder(size)) {
      report("fingerprint, full-size decode", files, f -> full.of(Files.readAllBytes(f)));
      report("fingerprint, scaled JPEG decode", files, f -> scaled.of(Files.readAllBytes(f)));
      report("training decode at " + size + " px", files, f -> decoder.decode(Files.readAllBytes(f)));
    }
    // The whole check as train runs it (TensorFlow already loaded): 2 threads, without and with the cache.
    ImageFolder folder = DatasetScan.scan(Path.of(args[0]));
    Path cache = Files.createTempDirectory("fingerprints").resolve(DataCheck.CACHE_FILE);
    for (String what : new String[] {"data check, no cache, 2 threads", "data check, cache filled", "data check, cache filled"}) {
      long t0 = System.nanoTime();
      DataCheck.run(folder, SplitRule.CURRENT, 0.2, 42, 2, cache);
      System.out.printf("%-34s %.2f s for %d images%n", what, (System.nanoTime() - t0) / 1e9, files.size());
    }
  }

  interface Step {
    Object run(Path file) throws Exception;
  }

  static void report(String what, List<Path> files, Step step) throws Exception {
    double best = Double.MAX_VALUE;
    for (int pass = 0; pass < 3; pass++) {
      long t0 = System.nanoTime();
      for (Path f : files) {
        step.run(f);
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e6 / files.size());
    }
    System.out.printf("%-34s %.3f ms/image (%d images, best of 3)%n", what, best, files.size());
  }
}
