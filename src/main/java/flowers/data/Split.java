package flowers.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A seeded, stratified train/validation split: each class gives the same share to validation, and
 * the same seed and files always give the same split.
 *
 * @param fileListHash SHA-256 of the relative paths and labels, so a checkpoint can tell whether
 *     the dataset it was trained on has changed
 */
public record Split(List<String> classNames, List<LabeledImage> train, List<LabeledImage> val, long seed,
    double valFraction, String fileListHash) {

  public static Split stratified(ImageFolder folder, double valFraction, long seed) {
    if (valFraction < 0 || valFraction >= 1) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + valFraction);
    }
    List<LabeledImage> train = new ArrayList<>();
    List<LabeledImage> val = new ArrayList<>();
    int classes = folder.classNames().size();
    for (int label = 0; label < classes; label++) {
      List<LabeledImage> members = new ArrayList<>();
      for (LabeledImage img : folder.images()) {
        if (img.label() == label) {
          members.add(img);
        }
      }
      Collections.shuffle(members, new Random(seed * 1_000_003L + label));
      int n = members.size();
      int held = (int) Math.round(n * valFraction);
      if (valFraction > 0 && n >= 2) {
        held = Math.max(1, Math.min(n - 1, held));
      }
      val.addAll(members.subList(0, held));
      train.addAll(members.subList(held, n));
    }
    // Sorted by path, so the order in which files were listed never matters downstream.
    train.sort((a, b) -> a.path().compareTo(b.path()));
    val.sort((a, b) -> a.path().compareTo(b.path()));
    return new Split(folder.classNames(), List.copyOf(train), List.copyOf(val), seed, valFraction, hash(folder));
  }

  static String hash(ImageFolder folder) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<String> lines = new ArrayList<>();
      for (LabeledImage img : folder.images()) {
        lines.add(folder.root().relativize(img.path()).toString().replace('\\', '/') + "\t" + img.label());
      }
      Collections.sort(lines);
      for (String line : lines) {
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
