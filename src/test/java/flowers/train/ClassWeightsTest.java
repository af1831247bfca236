package flowers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import flowers.data.LabeledImage;
import flowers.model.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@code --class-weights balanced}: inverse class frequency, mean weight 1, and in the loss. */
class ClassWeightsTest {
  @TempDir Path dir;

  @Test
  void balancedWeightsAreInverseFrequencyWithMeanOne() {
    List<LabeledImage> train = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      train.add(new LabeledImage(Path.of("x" + i), i < 6 ? 0 : 1));
    }
    float[] w = ClassWeights.BALANCED.of(train, 3);
    assertArrayEquals(new float[] {8f / 12, 8f / 4, 0f}, w, 1e-6f);
    assertEquals(1.0, (6 * w[0] + 2 * w[1]) / 8, 1e-6, "the mean weight over the training images");
    assertNull(ClassWeights.NONE.of(train, 3));
    assertEquals(ClassWeights.BALANCED, ClassWeights.parse("Balanced"));
    assertEquals("--class-weights must be none or balanced, got 'inverse'",
        assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("inverse")).getMessage());
    assertEquals("class weights (balanced): 0.67 (a) to 2.00 (b)", ClassWeights.describe(List.of("a", "b", "c"), w));
  }

  /** Weights [3, 0] on a batch of four examples of each class: 3 × 4/8 × the loss of the class-0 examples alone. */
  @Test
  void theLossWeighsEachExampleByItsClass() {
    TinyData data = new TinyData(8, 32, 2, 5); // labels 0, 1, 0, 1, ...
    int pixels = 32 * 32 * 3;
    float[] even = new float[4 * pixels];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(data.images, 2 * i * pixels, even, i * pixels, pixels);
    }
    float plainOfClass0 = loss(TrainingGraph.Options.NONE, even, new int[] {0, 0, 0, 0});
    float weighted = loss(new TrainingGraph.Options(0f, 0f, new float[] {3f, 0f}), data.images, data.labels);
    assertEquals(1.5f * plainOfClass0, weighted, 1e-4f * weighted);
    assertEquals(loss(TrainingGraph.Options.NONE, data.images, data.labels),
        loss(new TrainingGraph.Options(0f, 0f, new float[] {1f, 1f}), data.images, data.labels), 1e-6f);
  }

  static float loss(TrainingGraph.Options options, float[] images, int[] labels) {
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, new ModelConfig(32, 2, 42), options);
      try (Session s = new Session(g);
          TFloat32 x = TFloat32.tensorOf(Shape.of(labels.length, 32, 32, 3), DataBuffers.of(images, true, false));
          TInt32 y = TInt32.vectorOf(labels);
          Result r = s.runner().feed(t.images, x).feed(t.labels, y).fetch(t.loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  @Test
  void trainWithBalancedWeightsAndSamplingSaysThemAndRecordsThem() throws Exception {
    Path data = dir.resolve("data");
    String[] classes = {"daisy", "rose", "tulip"};
    int[] species = {6, 17, 19};
    for (int k = 0; k < 3; k++) {
      java.nio.file.Files.createDirectories(data.resolve(classes[k]));
      for (int i = 0; i < (k == 0 ? 12 : 4); i++) {
        var img = flowers.data.SyntheticFlowers.draw(species[k], 40, new java.util.Random(10L * k + i));
        java.nio.file.Files.write(data.resolve(classes[k] + "/" + i + ".jpg"), flowers.testing.ImageCopies.jpeg(img, 0.9f));
      }
    }
    TrainConfig c = DataCheckInTrainingTest.config(data, dir.resolve("ck"), 1);
    TrainConfig balanced = c.toBuilder().classWeights(ClassWeights.BALANCED).sampling(flowers.data.Sampling.BALANCED).build();
    DataCheckInTrainingTest.Run run = DataCheckInTrainingTest.train(balanced);
    // 9, 3 and 3 training images (a quarter of each class held out): 15/(3*9) and 15/(3*3).
    assertEquals(true, run.out().contains("class weights (balanced): 0.56 (daisy) to 1.67 (rose)"), run.out());
    String config = java.nio.file.Files.readString(dir.resolve("ck/train-config.json"));
    assertEquals(true, config.contains("\"class_weights\": \"BALANCED\""), config);
    // --sampling too (both at once here: one short run tests both lines and records).
    assertEquals(true, run.out().contains("sampling (balanced): each of 3 classes about 5 times an epoch, from 3 to 9 images"),
        run.out());
    assertEquals(true, config.contains("\"sampling\": \"BALANCED\""), config);
  }
}
