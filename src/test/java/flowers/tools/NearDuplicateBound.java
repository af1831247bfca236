package flowers.tools;

import flowers.testing.ImageCopies;
import static flowers.testing.ImageCopies.crop;
import static flowers.testing.ImageCopies.jpeg;

import flowers.data.Fingerprint;
import flowers.data.Fingerprinter;
import flowers.data.PerceptualHash;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * How far apart dHashes of copies of one picture lie, and of different pictures: the measurement
 * behind {@link PerceptualHash#MAX_DISTANCE}. For each image of a dataset folder it makes copies
 * (JPEG re-encoded at quality 70 and 50, PNG, resized to 75 % and 50 %, cropped by 2 %, 3 %, 5 % and 10 %
 * of each side, or 8 % off one side) and prints the distance distribution per kind of copy, then
 * that of every pair of different images (same class and other class); with {@code -Dpairs} it
 * names the different images that lie closest.
 *
 * <p>{@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dmain.class=flowers.tools.NearDuplicateBound -Dexec.args="DATA_DIR [MAX_IMAGES]"}
 */
public final class NearDuplicateBound {
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int max = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
    List<Path> files = ImageCopies.files(root, max);
    Map<String, List<Integer>> copies = new LinkedHashMap<>();
    long[] hashes = new long[files.size()];
    String[] classes = new String[files.size()];
    try (Fingerprinter f = new Fingerprinter()) {
      for (int i = 0; i < files.size(); i++) {
        byte[] bytes = Files.readAllBytes(files.get(i));
        Fingerprint original = f.of(bytes);
        hashes[i] = original.dHash();
        classes[i] = files.get(i).getParent().getFileName().toString();
        BufferedImage img = ImageIO.read(files.get(i).toFile());
        Map<String, byte[]> variants = ImageCopies.edits(img);
        variants.put("crop 8% off one side", jpeg(crop(img, 0.08, 0, 0, 0), 0.85f));
        variants.put("crop 10% each side", jpeg(crop(img, 0.10, 0.10, 0.10, 0.10), 0.85f));
        for (var v : variants.entrySet()) {
          copies.computeIfAbsent(v.getKey(), k -> new ArrayList<>())
              .add(PerceptualHash.distance(original.dHash(), f.of(v.getValue()).dHash()));
        }
      }
    }
    System.out.printf("%d images from %s%n%ncopy                     max   p99   p95  median   share within 5, 6, 7, 8, 9, 10, 12%n", files.size(), root);
    for (var e : copies.entrySet()) {
      List<Integer> d = new ArrayList<>(e.getValue());
      d.sort(null);
      System.out.printf("%-22s %5d %5d %5d %7d   %s%n", e.getKey(), d.get(d.size() - 1), pct(d, 0.99), pct(d, 0.95),
          pct(d, 0.5), shares(d, 5, 6, 7, 8, 9, 10, 12));
    }
    List<Integer> same = new ArrayList<>();
    List<Integer> other = new ArrayList<>();
    for (int i = 0; i < hashes.length; i++) {
      for (int j = i + 1; j < hashes.length; j++) {
        int d = PerceptualHash.distance(hashes[i], hashes[j]);
        (classes[i].equals(classes[j]) ? same : other).add(d);
        if (d <= PerceptualHash.MAX_DISTANCE + 2 && System.getProperty("pairs") != null) {
          System.out.printf("close pair (%d): %s %s%n", d, files.get(i), files.get(j));
        }
      }
    }
    System.out.printf("%npairs of different images   min  p0.1%%   p1%%  median   count within 5, 6, 7, 8, 9, 10, 12, 14, 16%n");
    for (var e : Map.of("same class", same, "other class", other).entrySet()) {
      List<Integer> d = e.getValue();
      if (d.isEmpty()) {
        continue;
      }
      d.sort(null);
      System.out.printf("%-12s %9d pairs %4d %5d %5d %7d   %s%n", e.getKey(), d.size(), d.get(0), pct(d, 0.001), pct(d, 0.01),
          pct(d, 0.5), counts(d, 5, 6, 7, 8, 9, 10, 12, 14, 16));
    }
  }

  static int pct(List<Integer> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }

  static String shares(List<Integer> d, int... bounds) {
    StringBuilder s = new StringBuilder();
    for (int b : bounds) {
      s.append(String.format("%.3f ", d.stream().filter(x -> x <= b).count() / (double) d.size()));
    }
    return s.toString().trim();
  }

  static String counts(List<Integer> d, int... bounds) {
    StringBuilder s = new StringBuilder();
    for (int b : bounds) {
      s.append(d.stream().filter(x -> x <= b).count()).append(' ');
    }
    return s.toString().trim();
  }
}
