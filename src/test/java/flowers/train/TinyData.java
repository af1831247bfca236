package flowers.train;

import java.util.Random;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** An easy in-memory problem: each class a colour, with noise. For tests of the training graph. */
final class TinyData {
  final float[] images;
  final int[] labels;
  final int size;
  final int count;

  TinyData(int count, int size, int classes, long seed) {
    Random rnd = new Random(seed);
    this.size = size;
    this.count = count;
    images = new float[count * size * size * 3];
    labels = new int[count];
    for (int i = 0; i < count; i++) {
      int label = i % classes;
      labels[i] = label;
      float[] colour = {(label * 53) % 256, (label * 97) % 256, (label * 151) % 256};
      int base = i * size * size * 3;
      for (int p = 0; p < size * size; p++) {
        for (int ch = 0; ch < 3; ch++) {
          float v = colour[ch] + (float) rnd.nextGaussian() * 20f;
          images[base + p * 3 + ch] = Math.max(0f, Math.min(255f, v));
        }
      }
    }
  }

  TFloat32 imagesTensor() {
    return TFloat32.tensorOf(Shape.of(count, size, size, 3), DataBuffers.of(images, true, false));
  }

  TInt32 labelsTensor() {
    return TInt32.tensorOf(Shape.of(count), DataBuffers.of(labels, true, false));
  }
}
