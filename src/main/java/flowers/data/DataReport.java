package flowers.data;

import java.util.List;
import java.util.Map;

/**
 * What {@code inspect --json} writes (snake_case keys): the findings of a {@link DataCheck} with
 * every path relative to the dataset folder.
 *
 * @param classes by class name: images in training and in validation
 * @param imbalanceRatio images in the largest class over images in the smallest
 * @param unreadable every file training leaves out, with the reason
 * @param imageSizes upright width, height and aspect ratio (width / height) of the images that decode
 * @param nearDuplicateMaxDistance the dHash bound (bits of 64) within which two images may be near duplicates
 * @param nearDuplicateMaxDifference the {@link Thumbnail#difference} (grey levels) within which their
 *     thumbnails confirm it
 * @param duplicates every group of exact or near duplicates
 * @param exactDuplicates the groups of files with identical bytes
 * @param crossClassDuplicates the groups of {@code duplicates} that span two classes or more (a labelling error)
 * @param splitLeaks the groups of {@code duplicates} with members in training and in validation
 * @param split every image of the split and its side, "train" or "val"
 */
public record DataReport(
    String dataDir,
    String splitRule,
    long seed,
    double valFraction,
    int numImages,
    Map<String, ClassCounts> classes,
    double imbalanceRatio,
    List<Unreadable> unreadable,
    ImageSizes imageSizes,
    int nearDuplicateMaxDistance,
    double nearDuplicateMaxDifference,
    List<List<String>> duplicates,
    List<List<String>> exactDuplicates,
    List<List<String>> crossClassDuplicates,
    List<List<String>> splitLeaks,
    Map<String, String> split) {

  public record ClassCounts(int train, int val) {}

  public record Unreadable(String path, String reason) {}

  /** Minimum, median (the lower middle value for an even count) and maximum of each. */
  public record ImageSizes(Pixels width, Pixels height, Ratio aspectRatio) {}

  public record Pixels(int min, int median, int max) {}

  public record Ratio(double min, double median, double max) {}
}
