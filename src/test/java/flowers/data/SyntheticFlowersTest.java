package flowers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFlowersTest {
  @TempDir Path dir;

  @Test
  void writesTwentyClassFoldersOfReadableJpegs() throws Exception {
    var s = SyntheticFlowers.generate(new SyntheticFlowers.Config(dir, 2, 64, 42));
    assertEquals(40, s.images());
    assertEquals(20, SyntheticFlowers.CLASS_NAMES.size());
    assertEquals(SyntheticFlowers.CLASS_NAMES.stream().sorted().toList(), SyntheticFlowers.CLASS_NAMES);
    assertTrue(SyntheticFlowers.CLASS_NAMES.containsAll(List.of("rose", "tulip", "sunflower", "daisy")));
    ImageFolder f = DatasetScan.scan(dir);
    assertEquals(SyntheticFlowers.CLASS_NAMES, f.classNames());
    assertEquals(40, f.images().size());
    for (LabeledImage img : f.images()) {
      BufferedImage b = ImageIO.read(img.path().toFile());
      assertEquals(64, b.getWidth());
      assertEquals(64, b.getHeight());
    }
  }

  @Test
  void theSameSeedWritesTheSameBytes() throws Exception {
    SyntheticFlowers.generate(new SyntheticFlowers.Config(dir.resolve("a"), 2, 48, 7));
    SyntheticFlowers.generate(new SyntheticFlowers.Config(dir.resolve("b"), 2, 48, 7));
    SyntheticFlowers.generate(new SyntheticFlowers.Config(dir.resolve("c"), 2, 48, 8));
    try (Stream<Path> files = Files.walk(dir.resolve("a"))) {
      for (Path a : files.filter(Files::isRegularFile).toList()) {
        Path rel = dir.resolve("a").relativize(a);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(dir.resolve("b").resolve(rel)), rel.toString());
        assertNotEquals(java.util.Arrays.hashCode(Files.readAllBytes(a)),
            java.util.Arrays.hashCode(Files.readAllBytes(dir.resolve("c").resolve(rel))), rel.toString());
      }
    }
  }

  @Test
  void regeneratingOverAnOldSetWritesTheSameBytesAsAFreshFolder() throws Exception {
    // Larger old files first: an in-place overwrite that does not truncate would leave their tails.
    SyntheticFlowers.generate(new SyntheticFlowers.Config(dir.resolve("old"), 1, 96, 1));
    SyntheticFlowers.generate(new SyntheticFlowers.Config(dir.resolve("old"), 1, 32, 2));
    SyntheticFlowers.generate(new SyntheticFlowers.Config(dir.resolve("fresh"), 1, 32, 2));
    for (String name : SyntheticFlowers.CLASS_NAMES) {
      Path rel = Path.of(name, name + "_0000.jpg");
      assertArrayEquals(Files.readAllBytes(dir.resolve("fresh").resolve(rel)),
          Files.readAllBytes(dir.resolve("old").resolve(rel)), rel.toString());
      try (Stream<Path> left = Files.list(dir.resolve("old").resolve(name))) {
        assertEquals(List.of(name + "_0000.jpg"), left.map(p -> p.getFileName().toString()).toList(),
            "no temporary files left behind");
      }
    }
  }

  @Test
  void imagesOfOneClassDiffer() {
    for (int k = 0; k < SyntheticFlowers.CLASS_NAMES.size(); k++) {
      BufferedImage a = SyntheticFlowers.draw(k, 48, new Random(SyntheticFlowers.imageSeed(5, k, 0)));
      BufferedImage b = SyntheticFlowers.draw(k, 48, new Random(SyntheticFlowers.imageSeed(5, k, 1)));
      assertEquals(BufferedImage.TYPE_INT_RGB, a.getType());
      assertEquals(48, a.getWidth());
      assertEquals(48, a.getHeight());
      // Not just noise apart: the mean absolute difference is well above the sensor noise (sigma <= 12).
      double diff = 0;
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 48; x++) {
          int p = a.getRGB(x, y);
          int q = b.getRGB(x, y);
          for (int shift = 0; shift <= 16; shift += 8) {
            diff += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
          }
        }
      }
      diff /= 48 * 48 * 3;
      assertTrue(diff > 15, SyntheticFlowers.CLASS_NAMES.get(k) + ": two images differ by only " + diff);
    }
  }

  @Test
  void drawIsDeterministicGivenTheRandom() {
    BufferedImage a = SyntheticFlowers.draw(3, 40, new Random(11));
    BufferedImage b = SyntheticFlowers.draw(3, 40, new Random(11));
    assertArrayEquals(a.getRGB(0, 0, 40, 40, null, 0, 40), b.getRGB(0, 0, 40, 40, null, 0, 40));
  }

  @Test
  void badArgumentsAreRefusedWithAClearMessage() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SyntheticFlowers.Config(dir, 0, 64, 1));
    assertTrue(e.getMessage().contains("--per-class must be at least 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SyntheticFlowers.Config(dir, 2, 7, 1));
    assertTrue(e.getMessage().contains("--image-size must be at least 8"), e.getMessage());
    assertThrows(NullPointerException.class, () -> new SyntheticFlowers.Config(null, 2, 64, 1));
    e = assertThrows(IllegalArgumentException.class, () -> SyntheticFlowers.draw(20, 64, new Random(1)));
    assertTrue(e.getMessage().contains("0..19"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyntheticFlowers.draw(0, 4, new Random(1)));
  }

  /**
   * The set is not solvable from colour alone: nearest class centroid on mean RGB, trained on half
   * of 30 images per class and tested on the other half, stays far below what the network reaches.
   * Measured: 0.09 here (0.19 before the seeding fix of {@link Seeds}; chance 0.05), so the 0.5 bound has room.
   */
  @Test
  void meanColourDoesNotNameTheClass() {
    double accuracy = nearestCentroidAccuracy(30, 3, SyntheticFlowersTest::meanRgb);
    System.out.printf("mean-colour nearest-centroid accuracy: %.3f%n", accuracy);
    assertTrue(accuracy < 0.5, "mean colour alone reaches " + accuracy);
    assertTrue(accuracy > 0.05, "classes should still differ in colour somewhat: " + accuracy);
  }

  /**
   * The background must not name the class: nearest class centroid on the mean colour of the
   * top-left 6×6 corner (sky or grass, which a flower head rarely reaches), trained on half of 40
   * images per class and tested on the other half. Measured: 0.178 when every image of a class drew
   * the same background (the seeding bug {@link Seeds} fixes); 0.055 after, chance being 0.05.
   */
  @Test
  void theBackgroundDoesNotNameTheClass() {
    double accuracy = nearestCentroidAccuracy(40, 42, img -> meanRgb(img.getSubimage(0, 0, 6, 6)));
    System.out.printf("corner-colour nearest-centroid accuracy: %.3f%n", accuracy);
    assertTrue(accuracy < 0.12, "the background alone names the class in " + accuracy + " of images");
  }

  /**
   * Nearest class centroid on one colour feature of 32 px images: centroids from the even-numbered
   * images of each class, accuracy on the odd-numbered ones.
   */
  private static double nearestCentroidAccuracy(int perClass, long seed,
      java.util.function.Function<BufferedImage, double[]> feature) {
    int classes = SyntheticFlowers.CLASS_NAMES.size();
    double[][] centroids = new double[classes][3];
    double[][][] test = new double[classes][perClass / 2][];
    for (int k = 0; k < classes; k++) {
      for (int i = 0; i < perClass; i++) {
        double[] m = feature.apply(SyntheticFlowers.draw(k, 32, new Random(SyntheticFlowers.imageSeed(seed, k, i))));
        if (i % 2 == 0) {
          for (int c = 0; c < 3; c++) {
            centroids[k][c] += m[c] / (perClass / 2);
          }
        } else {
          test[k][i / 2] = m;
        }
      }
    }
    int right = 0;
    int total = 0;
    for (int k = 0; k < classes; k++) {
      for (double[] m : test[k]) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
          if (dist(m, centroids[j]) < dist(m, centroids[best])) {
            best = j;
          }
        }
        right += best == k ? 1 : 0;
        total++;
      }
    }
    return right / (double) total;
  }

  static double[] meanRgb(BufferedImage img) {
    double[] m = new double[3];
    int n = img.getWidth() * img.getHeight();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        m[0] += ((rgb >> 16) & 0xff) / (double) n;
        m[1] += ((rgb >> 8) & 0xff) / (double) n;
        m[2] += (rgb & 0xff) / (double) n;
      }
    }
    return m;
  }

  static double dist(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < 3; i++) {
      d += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return d;
  }
}
