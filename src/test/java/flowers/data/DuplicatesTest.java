package flowers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.testing.ImageCopies;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of 64 px synthetic flowers with planted copies: an identical file, a re-encoded, a
 * resized and a slightly cropped copy in the same class, and one photo under two labels. The check
 * finds exactly those, and no pair of the other, different pictures.
 */
class DuplicatesTest {
  static final int S = 64;
  @TempDir static Path root;
  static ImageFolder folder;

  static BufferedImage original(int species, int i) {
    return SyntheticFlowers.draw(species, S, new Random(1000L * species + i));
  }

  static void put(String rel, byte[] bytes) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  @BeforeAll
  static void plant() throws IOException {
    String[] classes = {"daisy", "rose", "tulip"};
    int[] species = {6, 17, 19};
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 12; i++) {
        put(classes[k] + "/" + String.format("img_%02d.jpg", i), ImageCopies.jpeg(original(species[k], i), 0.9f));
      }
    }
    put("daisy/copy_exact.jpg", Files.readAllBytes(root.resolve("daisy/img_00.jpg")));
    put("daisy/copy_reencoded.jpg", ImageCopies.jpeg(original(6, 1), 0.6f));
    put("daisy/copy_resized.png", ImageCopies.png(ImageCopies.scale(original(6, 2), 48, 48)));
    put("daisy/copy_cropped.jpg", ImageCopies.jpeg(ImageCopies.crop(original(6, 3), 0.03, 0.03, 0.03, 0.03), 0.9f));
    put("tulip/also_a_rose.jpg", ImageCopies.jpeg(ImageCopies.scale(original(17, 4), 56, 56), 0.8f));
    folder = DatasetScan.scan(root);
  }

  static Set<Set<String>> paths(List<Duplicates.Group> groups) {
    return groups.stream()
        .map(g -> g.members().stream().map(m -> Split.relative(root, m.path())).collect(Collectors.toSet()))
        .collect(Collectors.toSet());
  }

  @Test
  void findsThePlantedCopiesAndNothingElse() {
    DataCheck check = DataCheck.run(folder, SplitRule.CURRENT, 0.25, 42, 2, null);
    Map<Path, Fingerprint> fp = check.fingerprints();
    for (String[] pair : new String[][] {{"daisy/img_01.jpg", "daisy/copy_reencoded.jpg"},
        {"daisy/img_02.jpg", "daisy/copy_resized.png"}, {"daisy/img_03.jpg", "daisy/copy_cropped.jpg"},
        {"rose/img_04.jpg", "tulip/also_a_rose.jpg"}}) {
      int d = PerceptualHash.distance(fp.get(root.resolve(pair[0])).dHash(), fp.get(root.resolve(pair[1])).dHash());
      System.out.println("dHash distance " + pair[0] + " ~ " + pair[1] + ": " + d);
    }
    assertEquals(Set.of(
        Set.of("daisy/img_00.jpg", "daisy/copy_exact.jpg"),
        Set.of("daisy/img_01.jpg", "daisy/copy_reencoded.jpg"),
        Set.of("daisy/img_02.jpg", "daisy/copy_resized.png"),
        Set.of("daisy/img_03.jpg", "daisy/copy_cropped.jpg"),
        Set.of("rose/img_04.jpg", "tulip/also_a_rose.jpg")), paths(check.duplicates().groups()));
    assertEquals(Set.of(Set.of("daisy/img_00.jpg", "daisy/copy_exact.jpg")), paths(check.exactGroups()));
    assertEquals(Set.of(Set.of("daisy/img_00.jpg", "daisy/copy_exact.jpg")),
        paths(check.duplicates().groups().stream().filter(Duplicates.Group::exact).toList()));
    assertEquals(Set.of(Set.of("rose/img_04.jpg", "tulip/also_a_rose.jpg")), paths(check.acrossClasses()));
  }

  @Test
  void theSplitKeepsEachGroupOnOneSideAndTheOldSplitLeaks() {
    DataCheck check = DataCheck.run(folder, SplitRule.CURRENT, 0.25, 42, 2, null);
    assertEquals(List.of(), check.leaks());
    Set<Path> val = new HashSet<>();
    check.split().val().forEach(i -> val.add(i.path()));
    for (Duplicates.Group g : check.duplicates().groups()) {
      assertEquals(1, g.members().stream().map(m -> val.contains(m.path())).distinct().count(), g.toString());
    }
    // The old rule shuffles each class: over a few seeds it splits some planted pair, and the check says which.
    int seedsWithLeaks = 0;
    for (long seed = 1; seed <= 10; seed++) {
      DataCheck old = DataCheck.run(folder, SplitRule.SHUFFLE_V1, 0.25, seed, 2, null);
      Set<Path> oldVal = new HashSet<>();
      old.split().val().forEach(i -> oldVal.add(i.path()));
      Set<Set<String>> expected = paths(old.duplicates().groups().stream()
          .filter(g -> g.members().stream().map(m -> oldVal.contains(m.path())).distinct().count() == 2).toList());
      assertEquals(expected, paths(old.leaks()), "seed " + seed);
      assertEquals(expected.size(), old.report().splitLeaks().size());
      seedsWithLeaks += expected.isEmpty() ? 0 : 1;
    }
    assertTrue(seedsWithLeaks >= 5, seedsWithLeaks + " of 10 seeds");
  }

  @Test
  void flatPicturesAreComparedByTheirBytesOnly() throws IOException {
    Path flat = root.resolveSibling(root.getFileName() + "-flat");
    BufferedImage red = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    BufferedImage blue = new BufferedImage(50, 30, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = red.createGraphics();
    g.setColor(java.awt.Color.RED);
    g.fillRect(0, 0, 40, 40);
    g.dispose();
    g = blue.createGraphics();
    g.setColor(java.awt.Color.BLUE);
    g.fillRect(0, 0, 50, 30);
    g.dispose();
    Files.createDirectories(flat.resolve("a"));
    Files.createDirectories(flat.resolve("b"));
    Files.write(flat.resolve("a/red.png"), ImageCopies.png(red));
    Files.write(flat.resolve("a/red_again.png"), ImageCopies.png(red));
    Files.write(flat.resolve("b/blue.png"), ImageCopies.png(blue));
    DataCheck check = DataCheck.run(DatasetScan.scan(flat), SplitRule.CURRENT, 0.2, 1, 1, null);
    // All three hash to 0 (no edges); only the identical pair is a duplicate.
    assertEquals(1, check.duplicates().groups().size(), check.duplicates().toString());
    assertTrue(check.duplicates().groups().get(0).exact());
    assertFalse(check.duplicates().groups().get(0).acrossClasses());
  }

  @Test
  void nearPairsAgreeWithComparingEveryPair() {
    Random rnd = new Random(5);
    long[] hashes = new long[400];
    for (int i = 0; i < hashes.length; i++) {
      // Clusters of related hashes, so that there are pairs at every distance.
      hashes[i] = i % 4 == 0 ? rnd.nextLong() : hashes[i - 1] ^ (1L << rnd.nextInt(64)) ^ (1L << rnd.nextInt(64));
    }
    for (int bound : new int[] {0, 3, 7, 12, 20}) {
      Set<List<Integer>> all = new HashSet<>();
      for (int i = 0; i < hashes.length; i++) {
        for (int j = i + 1; j < hashes.length; j++) {
          if (PerceptualHash.distance(hashes[i], hashes[j]) <= bound) {
            all.add(List.of(i, j));
          }
        }
      }
      Set<List<Integer>> fast = Duplicates.nearPairs(hashes, bound).stream().map(p -> List.of(p[0], p[1]))
          .collect(Collectors.toSet());
      assertEquals(all, fast, "bound " + bound);
    }
  }
}
