package flowers.data;

import java.util.Random;

/**
 * Changes one decoded {@code [size,size,3]} training image in place. Runs on the decoding threads,
 * with a {@code Random} seeded from (seed, epoch, position) so every run and every resume sees the
 * same augmented images.
 */
public interface Augmenter {
  void apply(float[] image, int offset, int size, Random rnd);
}
