package flowers.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Decoded images ready to feed.
 *
 * @param images {@code size} images NHWC, RGB 0–255 (the array may be longer than needed)
 * @param stepInEpoch position of this batch in its epoch
 * @param paths the file of each image, in order
 * @param end position in the epoch's order after this batch: the images of the epoch it completes
 */
public record Batch(float[] images, int[] labels, int size, int epoch, int stepInEpoch, List<Path> paths, int end) {}
