package flowers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.testing.EasyImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetScanTest {
  @TempDir Path root;

  @Test
  void classesAreTheSortedFolderNames() throws Exception {
    EasyImages.write(root, 3, 2, 16, 1);
    Files.move(root.resolve("class_0"), root.resolve("zinnia"));
    Files.move(root.resolve("class_1"), root.resolve("Aster"));
    Files.move(root.resolve("class_2"), root.resolve("daisy"));
    ImageFolder f = DatasetScan.scan(root);
    assertEquals(List.of("Aster", "daisy", "zinnia"), f.classNames());
    assertEquals(6, f.images().size());
    assertTrue(f.images().stream().allMatch(i -> f.classNames().get(i.label()).equals(i.path().getParent().getFileName().toString())));
  }

  @Test
  void litterIsIgnoredAndOddEntriesAreSkippedWithAReason() throws Exception {
    EasyImages.write(root, 2, 2, 16, 1);
    Path c0 = root.resolve("class_0");
    Files.writeString(c0.resolve(".DS_Store"), "x");
    Files.writeString(c0.resolve("Thumbs.db"), "x");
    Files.writeString(c0.resolve("notes.txt"), "x");
    Files.createFile(c0.resolve("empty.jpg"));
    Files.createDirectories(c0.resolve("x.jpg"));
    Files.copy(c0.resolve("img_000.png"), c0.resolve("x.jpg/nested.PNG"));
    Files.createSymbolicLink(c0.resolve("dangling.jpg"), root.resolve("nowhere.jpg"));
    Files.createSymbolicLink(c0.resolve("loop"), c0);
    Files.writeString(root.resolve("stray.jpg"), "x");
    Files.createDirectories(root.resolve(".hidden-class"));
    Files.createDirectories(root.resolve("empty_class"));
    ImageFolder f = DatasetScan.scan(root);
    assertEquals(List.of("class_0", "class_1"), f.classNames());
    assertEquals(5, f.images().size(), f.images().toString());
    Set<String> reasons = new HashSet<>();
    f.skipped().forEach(s -> reasons.add(s.path().getFileName() + ": " + s.reason()));
    assertTrue(reasons.contains("notes.txt: not an image file name (jpg/jpeg/png/gif/bmp)"), reasons.toString());
    assertTrue(reasons.contains("empty.jpg: empty file"), reasons.toString());
    assertTrue(reasons.contains("dangling.jpg: broken symbolic link"), reasons.toString());
    assertTrue(reasons.contains("loop: symbolic link loop"), reasons.toString());
    assertTrue(reasons.contains("stray.jpg: not inside a class folder"), reasons.toString());
    assertTrue(reasons.contains("empty_class: empty class folder, not a class"), reasons.toString());
    assertEquals(6, reasons.size(), reasons.toString());
  }

  @Test
  void aPhotoOrFolderReachedTwiceThroughLinksCountsOnce() throws Exception {
    EasyImages.write(root, 2, 2, 16, 1);
    Path c0 = root.resolve("class_0");
    Path c1 = root.resolve("class_1");
    Files.createSymbolicLink(c1.resolve("favourite.png"), c0.resolve("img_000.png")); // other class
    Files.createDirectories(c1.resolve("nested"));
    Files.copy(c1.resolve("img_001.jpg"), c1.resolve("nested/deep.jpg"));
    Files.createSymbolicLink(c1.resolve("again"), c1.resolve("nested")); // same folder twice
    ImageFolder f = DatasetScan.scan(root);
    assertEquals(5, f.images().size(), f.images().toString());
    assertEquals(1, f.images().stream().filter(i -> i.path().endsWith("nested/deep.jpg")).count());
    List<String> reasons = f.skipped().stream().map(s -> s.path().getFileName() + ": " + s.reason()).toList();
    assertTrue(reasons.contains("favourite.png: same file as " + c0.resolve("img_000.png")), reasons.toString());
    assertTrue(reasons.stream().anyMatch(r -> r.startsWith("again: same folder as ")), reasons.toString());
    assertEquals(2, reasons.size(), reasons.toString());
  }

  @Test
  void aClassWithoutImagesIsAnErrorThatNamesIt() throws Exception {
    EasyImages.write(root, 2, 2, 16, 1);
    Files.createDirectories(root.resolve("tulip"));
    Files.writeString(root.resolve("tulip/readme.txt"), "photos go here");
    DataException e = assertThrows(DataException.class, () -> DatasetScan.scan(root));
    assertTrue(e.getMessage().contains("'tulip'"), e.getMessage());
  }

  @Test
  void missingOrEmptyFoldersAreClearErrors() throws Exception {
    assertTrue(assertThrows(DataException.class, () -> DatasetScan.scan(root.resolve("nope"))).getMessage().contains("does not exist"));
    assertTrue(assertThrows(DataException.class, () -> DatasetScan.scan(root)).getMessage().contains("no class folders"));
    Files.createDirectories(root.resolve("empty"));
    assertTrue(assertThrows(DataException.class, () -> DatasetScan.scan(root)).getMessage().contains("no class folders"));
  }

  @Test
  void theSplitIsStratifiedDisjointAndDeterministic() {
    EasyImages.write(root, 3, 10, 16, 1);
    ImageFolder f = DatasetScan.scan(root);
    Split a = Split.stratified(f, 0.2, 42);
    Split b = Split.stratified(f, 0.2, 42);
    Split c = Split.stratified(f, 0.2, 43);
    assertEquals(a, b);
    assertNotEquals(a.val(), c.val());
    assertEquals(6, a.val().size());
    for (int k = 0; k < 3; k++) {
      int label = k;
      assertEquals(2, a.val().stream().filter(i -> i.label() == label).count());
    }
    Set<LabeledImage> overlap = new HashSet<>(a.train());
    overlap.retainAll(a.val());
    assertTrue(overlap.isEmpty());
    assertEquals(30, a.train().size() + a.val().size());
  }

  @Test
  void theFileListHashNoticesAChangedDataset() throws Exception {
    EasyImages.write(root, 2, 3, 16, 1);
    String before = Split.stratified(DatasetScan.scan(root), 0.2, 1).fileListHash();
    Files.copy(root.resolve("class_0/img_000.png"), root.resolve("class_0/img_999.png"));
    assertNotEquals(before, Split.stratified(DatasetScan.scan(root), 0.2, 1).fileListHash());
  }
}
