package flowers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.testing.EasyImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sampling balanced}: each class equally often per epoch, in an order fixed by (seed, epoch). */
class SamplingTest {
  @TempDir static Path root;
  /** 10, 3 and 1 images: 10:1 between the largest class and the smallest. */
  static List<LabeledImage> images;

  @BeforeAll
  static void images() {
    EasyImages.write(root, 3, 10, 24, 5);
    List<LabeledImage> all = DatasetScan.scan(root).images();
    images = new ArrayList<>();
    int[] keep = {10, 3, 1};
    int[] kept = new int[3];
    for (LabeledImage i : all) {
      if (kept[i.label()]++ < keep[i.label()]) {
        images.add(i);
      }
    }
  }

  static LoaderConfig config(Sampling sampling, long seed) {
    return new LoaderConfig(32, 4, seed, 1, 2, true, false, StandardAugmenter.defaults()).withSampling(sampling);
  }

  static int[] order(Sampling sampling, long seed, int epoch) {
    try (BatchLoader loader = new BatchLoader(images, config(sampling, seed), w -> {})) {
      return loader.order(epoch);
    }
  }

  @Test
  void eachClassIsDrawnEquallyOftenAndEveryImageOfASmallClassBeforeAnyRepeats() {
    for (int epoch = 0; epoch < 20; epoch++) {
      int[] order = order(Sampling.BALANCED, 7, epoch);
      assertEquals(images.size(), order.length, "an epoch is as long as with uniform sampling");
      int[] perClass = new int[3];
      List<Set<Integer>> seen = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
      for (int pos : order) {
        perClass[images.get(pos).label()]++;
        seen.get(images.get(pos).label()).add(pos);
      }
      for (int k = 0; k < 3; k++) {
        assertTrue(perClass[k] == 4 || perClass[k] == 5, "epoch " + epoch + " class " + k + ": " + perClass[k]);
      }
      assertEquals(14, perClass[0] + perClass[1] + perClass[2]);
      assertEquals(3, seen.get(1).size(), "4 or 5 draws of 3 images: each at least once");
      assertEquals(perClass[0], seen.get(0).size(), "the large class: no image twice");
    }
    int[] uniform = order(Sampling.UNIFORM, 7, 0);
    assertEquals(images.size(), java.util.Arrays.stream(uniform).distinct().count(), "uniform: every image once");
  }

  @Test
  void theOrderIsFixedBySeedAndEpochSoAResumeGoesOnAtTheRightImage() {
    assertArrayEquals(order(Sampling.BALANCED, 7, 3), order(Sampling.BALANCED, 7, 3));
    assertNotEquals(List.of(order(Sampling.BALANCED, 7, 3)), List.of(order(Sampling.BALANCED, 7, 4)));
    assertNotEquals(List.of(order(Sampling.BALANCED, 7, 3)), List.of(order(Sampling.BALANCED, 8, 3)));
    List<String> w = new ArrayList<>();
    LoaderConfig c = config(Sampling.BALANCED, 7);
    List<Batch> full = BatchLoaderTest.epoch(images, c, 3, 0, w);
    List<Batch> rest = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(images, c, w::add)) {
      loader.epochFrom(3, 6).forEach(rest::add);
    }
    assertEquals(BatchLoaderTest.paths(full).subList(6, 14), BatchLoaderTest.paths(rest));
    // Position 6 is the third image of the second batch: same pixels there, augmentation included.
    int pixels = 32 * 32 * 3;
    float[] fromFull = java.util.Arrays.copyOfRange(full.get(1).images(), 2 * pixels, 3 * pixels);
    float[] fromRest = java.util.Arrays.copyOfRange(rest.get(0).images(), 0, pixels);
    assertArrayEquals(fromFull, fromRest);
    assertTrue(w.isEmpty(), w.toString());
  }

  @Test
  void parsesTheFlagAndSaysWhatItDoes() {
    assertEquals(Sampling.BALANCED, Sampling.parse("Balanced"));
    assertEquals("--sampling must be uniform or balanced, got 'oversample'",
        assertThrows(IllegalArgumentException.class, () -> Sampling.parse("oversample")).getMessage());
    assertEquals("sampling (balanced): each of 3 classes about 4 times an epoch, from 1 to 10 images",
        Sampling.describe(images, 3));
  }
}
