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
      Fingerprint a = fp.get(root.resolve(pair[0]));
      Fingerprint b = fp.get(root.resolve(pair[1]));
      System.out.printf("%s ~ %s: dHash distance %d, thumbnail difference %.1f%n", pair[0], pair[1],
          PerceptualHash.distance(a.dHash(), b.dHash()),
          Thumbnail.difference(Thumbnail.decode(a.thumb()), Thumbnail.decode(b.thumb())));
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

  /**
   * A fingerprint whose 16×16 thumbnail is a checkerboard of 0 and 100 raised by {@code lift} grey
   * levels: every pixel and its neighbours differ by 100 or by the lift, so two of them differ by
   * the difference of their lifts.
   */
  static Fingerprint checkers(String sha, float lift) {
    float[] grey = new float[Thumbnail.SIDE * Thumbnail.SIDE];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = 100 * ((i % Thumbnail.SIDE + i / Thumbnail.SIDE) % 2) + lift;
    }
    return new Fingerprint(sha, 0x5A5A5A5A5A5A5A5AL, 64, Thumbnail.encode(grey), 16, 16, null);
  }

  /**
   * a ~ b and b ~ c, but a and c are 6 grey levels apart: one group of a and b (the closest pair
   * first, then the first pair), c alone; and a file identical to a joins a's group as a unit.
   * path-hash-v2's groups, joined link by link, chain all of them.
   */
  @Test
  void aChainOfNearDuplicatesIsNotOneGroup() {
    List<LabeledImage> images = new java.util.ArrayList<>();
    Map<Path, Fingerprint> fps = new java.util.HashMap<>();
    String[] names = {"a", "b", "c", "a_again"};
    Fingerprint[] prints = {checkers("sha-a", 0), checkers("sha-b", 3), checkers("sha-c", 6), checkers("sha-a", 0)};
    for (int i = 0; i < names.length; i++) {
      LabeledImage img = new LabeledImage(Path.of("x", names[i] + ".png"), 0);
      images.add(img);
      fps.put(img.path(), prints[i]);
    }
    assertTrue(Duplicates.near(prints[0], prints[1]));
    assertTrue(Duplicates.near(prints[1], prints[2]));
    assertFalse(Duplicates.near(prints[0], prints[2]));
    Duplicates groups = Duplicates.find(images, fps);
    assertEquals(List.of(new Duplicates.Group(List.of(images.get(0), images.get(1), images.get(3)), false)),
        groups.groups());
    Duplicates old = Duplicates.components(images, fps, PerceptualHash.MAX_DISTANCE);
    assertEquals(List.of(new Duplicates.Group(images, false)), old.groups());
    // A run split by path-hash-v2 keeps the groups it was split with; a new run keeps today's.
    assertEquals(old, SplitRule.PATH_HASH_V2.groups(images, fps, groups));
    assertEquals(old, SplitRule.PATH_HASH_V1.groups(images, fps, groups));
    assertEquals(groups, SplitRule.CURRENT.groups(images, fps, groups));

    // Only the identical pair, when b is like neither a nor c.
    fps.put(images.get(1).path(), checkers("sha-b", 20));
    assertEquals(List.of(new Duplicates.Group(List.of(images.get(0), images.get(3)), true)),
        Duplicates.find(images, fps).groups());
  }

  /**
   * Two different 28 px grey garments of one outline (trousers on black, one paler and with a
   * seam; the dHash of each is within its bound of the other's, as for thousands of pairs in
   * Fashion-MNIST) are not near duplicates; a re-encoded and an enlarged copy of one are.
   */
  @Test
  void differentLowDetailGarmentsAreNotNearDuplicatesButCopiesAre() throws IOException {
    Path dir = root.resolveSibling(root.getFileName() + "-garments");
    BufferedImage dark = trousers(150, false);
    BufferedImage pale = trousers(200, true);
    Files.createDirectories(dir.resolve("trouser"));
    Files.createDirectories(dir.resolve("other"));
    Files.write(dir.resolve("trouser/dark.png"), ImageCopies.png(dark));
    Files.write(dir.resolve("trouser/pale.png"), ImageCopies.png(pale));
    Files.write(dir.resolve("trouser/dark_reencoded.jpg"), ImageCopies.jpeg(dark, 0.8f));
    Files.write(dir.resolve("other/dark_enlarged.png"), ImageCopies.png(ImageCopies.scale(dark, 56, 56)));
    DataCheck check = DataCheck.run(DatasetScan.scan(dir), SplitRule.CURRENT, 0.2, 1, 1, null);
    Map<Path, Fingerprint> fp = check.fingerprints();
    Fingerprint d = fp.get(dir.resolve("trouser/dark.png"));
    Fingerprint p = fp.get(dir.resolve("trouser/pale.png"));
    assertTrue(PerceptualHash.near(d.dHash(), p.dHash()), "the dHash alone would call them near: "
        + PerceptualHash.distance(d.dHash(), p.dHash()) + " bits");
    assertTrue(d.edges() >= PerceptualHash.MIN_EDGES, d.edges() + " edges");
    assertFalse(Duplicates.near(d, p));
    assertEquals(1, check.duplicates().groups().size(), check.duplicates().toString());
    assertEquals(Set.of("trouser/dark.png", "trouser/dark_reencoded.jpg", "other/dark_enlarged.png"),
        check.duplicates().groups().get(0).members().stream().map(m -> Split.relative(dir, m.path()))
            .collect(Collectors.toSet()));
  }

  /** A 28 px pair of trouser legs of grey {@code level} on black, with a darker seam if asked. */
  static BufferedImage trousers(int level, boolean seam) {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(new java.awt.Color(level, level, level));
    g.fillRect(8, 2, 12, 6);
    g.fillPolygon(new int[] {8, 13, 11, 6}, new int[] {8, 8, 26, 26}, 4);
    g.fillPolygon(new int[] {15, 20, 22, 17}, new int[] {8, 8, 26, 26}, 4);
    if (seam) {
      g.setColor(new java.awt.Color(level - 60, level - 60, level - 60));
      g.drawLine(9, 9, 8, 25);
      g.drawLine(19, 9, 20, 25);
    }
    g.dispose();
    return img;
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
