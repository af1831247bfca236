package flowers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.testing.EasyImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
  @TempDir static Path root;
  static List<LabeledImage> images;

  @BeforeAll
  static void images() {
    EasyImages.write(root, 3, 5, 24, 9);
    images = DatasetScan.scan(root).images();
  }

  static LoaderConfig config(int threads, boolean shuffle, Augmenter augmenter) {
    return new LoaderConfig(32, 4, 11, threads, 2, shuffle, false, augmenter);
  }

  static List<Batch> epoch(List<LabeledImage> files, LoaderConfig config, int epoch, int start, List<String> warnings) {
    try (BatchLoader loader = new BatchLoader(files, config, warnings::add)) {
      List<Batch> out = new ArrayList<>();
      loader.epoch(epoch, start).forEach(out::add);
      return out;
    }
  }

  static List<Path> paths(List<Batch> batches) {
    return batches.stream().flatMap(b -> b.paths().stream()).toList();
  }

  @Test
  void everyImageOncePerEpochInAnOrderThatDoesNotDependOnThreads() {
    List<String> w = new ArrayList<>();
    List<Batch> one = epoch(images, config(1, true, null), 0, 0, w);
    List<Batch> two = epoch(images, config(2, true, null), 0, 0, w);
    assertEquals(4, one.size());
    assertEquals(15, paths(one).size());
    assertEquals(paths(one), paths(two));
    for (int i = 0; i < one.size(); i++) {
      assertArrayEquals(one.get(i).images(), two.get(i).images());
      assertArrayEquals(one.get(i).labels(), two.get(i).labels());
    }
    assertNotEquals(paths(one), paths(epoch(images, config(1, true, null), 1, 0, w)), "reshuffled each epoch");
    assertTrue(w.isEmpty());
  }

  @Test
  void startingAtABatchGivesTheTailOfTheFullEpoch() {
    List<String> w = new ArrayList<>();
    List<Batch> full = epoch(images, config(2, true, StandardAugmenter.defaults()), 3, 0, w);
    List<Batch> tail = epoch(images, config(2, true, StandardAugmenter.defaults()), 3, 2, w);
    assertEquals(2, tail.size());
    assertEquals(2, tail.get(0).stepInEpoch());
    assertArrayEquals(full.get(2).images(), tail.get(0).images());
    assertEquals(paths(full.subList(2, 4)), paths(tail));
  }

  /** Where a run resumed with another batch size goes on: at the next image, with the same augmentation. */
  @Test
  void startingAtAnImageGivesTheRestOfTheEpochFromThatImage() {
    List<String> w = new ArrayList<>();
    LoaderConfig c = config(2, true, StandardAugmenter.defaults());
    List<Batch> full = epoch(images, c, 3, 0, w);
    List<Batch> rest = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(images, c, w::add)) {
      loader.epochFrom(3, 6).forEach(rest::add);
    }
    assertEquals(paths(full).subList(6, 15), paths(rest));
    assertEquals(List.of(10, 14, 15), rest.stream().map(Batch::end).toList());
    assertEquals(List.of(1, 2, 3), rest.stream().map(Batch::stepInEpoch).toList());
    int pixels = 32 * 32 * 3;
    // Position 6 is the third image of the full epoch's second batch and the first of the rest.
    assertArrayEquals(java.util.Arrays.copyOfRange(full.get(1).images(), 2 * pixels, 3 * pixels),
        java.util.Arrays.copyOfRange(rest.get(0).images(), 0, pixels));
    assertEquals(List.of(4, 8, 12, 15), full.stream().map(Batch::end).toList());
  }

  @Test
  void augmentationChangesTrainingImagesOnly() {
    List<String> w = new ArrayList<>();
    List<Batch> plain = epoch(images, config(1, false, null), 0, 0, w);
    List<Batch> again = epoch(images, config(1, false, null), 5, 0, w);
    List<Batch> augmented = epoch(images, config(1, false, StandardAugmenter.defaults()), 0, 0, w);
    assertArrayEquals(plain.get(0).images(), again.get(0).images(), "no augmentation: every epoch identical");
    assertEquals(paths(plain), paths(augmented));
    assertNotEquals(java.util.Arrays.hashCode(plain.get(0).images()), java.util.Arrays.hashCode(augmented.get(0).images()));
  }

  @Test
  void aCorruptFileIsSkippedWithOneWarningNamingItAndTrainingBatchesStayFull() throws Exception {
    Path bad = root.resolve("class_1/zz_truncated.jpg");
    byte[] good = Files.readAllBytes(root.resolve("class_1/img_001.jpg"));
    Files.write(bad, java.util.Arrays.copyOf(good, good.length / 3));
    Path text = root.resolve("class_2/zz_text.jpg");
    Files.writeString(text, "this is not an image");
    List<LabeledImage> files = new ArrayList<>(images);
    files.add(new LabeledImage(bad, 1));
    files.add(new LabeledImage(text, 2));
    List<String> w = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(files, config(2, true, null), w::add)) {
      for (int e = 0; e < 2; e++) {
        List<Batch> batches = new ArrayList<>();
        loader.epoch(e, 0).forEach(batches::add);
        assertEquals(List.of(4, 4, 4, 4, 1), batches.stream().map(Batch::size).toList(), "full batches, epoch " + e);
        for (Batch b : batches) {
          assertEquals(b.size(), b.labels().length);
          assertEquals(b.size(), new java.util.HashSet<>(b.paths()).size(), "no file twice in a batch");
          assertTrue(!b.paths().contains(bad) && !b.paths().contains(text));
        }
      }
      assertEquals(2, loader.skippedCount());
    }
    assertEquals(2, w.size(), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.contains("zz_truncated.jpg: truncated or corrupt JPEG (")), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.contains("zz_text.jpg") && s.contains("not a JPEG, PNG, GIF or BMP")), w.toString());

    // The replacements do not depend on threads or on where the run started.
    List<Batch> one = epoch(files, config(1, true, StandardAugmenter.defaults()), 4, 0, new ArrayList<>());
    List<Batch> two = epoch(files, config(2, true, StandardAugmenter.defaults()), 4, 0, new ArrayList<>());
    List<Batch> tail = epoch(files, config(2, true, StandardAugmenter.defaults()), 4, 3, new ArrayList<>());
    assertEquals(paths(one), paths(two));
    assertEquals(paths(one.subList(3, 5)), paths(tail));
    for (int i = 0; i < one.size(); i++) {
      assertArrayEquals(one.get(i).images(), two.get(i).images());
    }
    assertArrayEquals(one.get(3).images(), tail.get(0).images());

    // Evaluation (file order) leaves a failed file out instead: nothing is counted twice.
    List<Batch> eval = epoch(files, config(2, false, null), 0, 0, new ArrayList<>());
    assertEquals(15, paths(eval).size());
    assertEquals(15, new java.util.HashSet<>(paths(eval)).size());
    Files.delete(bad);
    Files.delete(text);
  }

  @Test
  void aHugeNonImageIsSkippedWithoutReadingIt() throws Exception {
    Path huge = root.resolve("class_0/zz_video.jpg");
    try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(BatchLoader.MAX_FILE_BYTES + 1); // sparse: costs no disk
    }
    List<LabeledImage> files = new ArrayList<>(images);
    files.add(new LabeledImage(huge, 0));
    List<String> w = new ArrayList<>();
    List<Batch> batches = epoch(files, config(1, false, null), 0, 0, w);
    Files.delete(huge);
    assertEquals(15, paths(batches).size());
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).contains("zz_video.jpg: file too large for an image (1024 MB)"), w.toString());
  }

  @Test
  void closingFromAnotherThreadReleasesAWaitingConsumer() throws Exception {
    Augmenter slow = (img, offset, size, rnd) -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    BatchLoader loader = new BatchLoader(images, new LoaderConfig(32, 4, 1, 1, 3, true, false, slow), s -> {});
    java.util.concurrent.atomic.AtomicReference<Throwable> seen = new java.util.concurrent.atomic.AtomicReference<>();
    Thread consumer = new Thread(() -> {
      try {
        loader.epoch(0, 0).forEach(b -> {});
      } catch (Throwable t) {
        seen.set(t);
      }
    });
    consumer.start();
    Thread.sleep(200);
    long t0 = System.nanoTime();
    loader.close();
    consumer.join(10_000);
    assertTrue(!consumer.isAlive(), "consumer still waiting after close()");
    assertTrue((System.nanoTime() - t0) / 1e9 < 10);
    assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
  }

  @Test
  void closingMidEpochReturnsPromptly() {
    List<String> w = new ArrayList<>();
    long t0 = System.nanoTime();
    try (BatchLoader loader = new BatchLoader(images, config(2, true, null), w::add)) {
      loader.epoch(0, 0).iterator().next();
    }
    assertTrue((System.nanoTime() - t0) / 1e9 < 10);
  }

  @Test
  void recycledArraysAreReusedWithoutChangingAnyBatch() {
    List<Batch> fresh = epoch(images, config(2, true, null), 0, 0, new ArrayList<>());
    java.util.Set<float[]> arrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    try (BatchLoader loader = new BatchLoader(images, config(2, true, null), w -> {})) {
      for (int e = 0; e < 3; e++) {
        int i = 0;
        for (Batch b : loader.epoch(0, 0)) {
          Batch expected = fresh.get(i++);
          int n = expected.size() * 32 * 32 * 3;
          assertArrayEquals(java.util.Arrays.copyOf(expected.images(), n), java.util.Arrays.copyOf(b.images(), n));
          assertEquals(expected.paths(), b.paths());
          arrays.add(b.images());
          loader.recycle(b);
          loader.recycle(b); // twice: must not hand one array to two batches
        }
      }
      // 12 batches through at most prefetch (2) + 2 arrays.
      assertTrue(arrays.size() <= 4, arrays.size() + " arrays for 12 batches");
      // Kept (not recycled) batches never share an array, even after the double recycle above.
      java.util.Set<float[]> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Batch b : loader.epoch(1, 0)) {
        assertTrue(kept.add(b.images()), "two live batches share an array");
      }
    }
  }
}
