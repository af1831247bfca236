package flowers.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A seeded, stratified train/validation split: each class gives the same share to validation, and
 * the same seed and files (and, for path-hash-v2 and v3, the same previous split of the
 * run) always give the same split.
 *
 * @param fileListHash SHA-256 of the relative paths and labels, so a checkpoint can tell whether
 *     the dataset it was trained on has changed
 * @param rule how the sides were chosen
 */
public record Split(List<String> classNames, List<LabeledImage> train, List<LabeledImage> val, long seed,
    double valFraction, String fileListHash, SplitRule rule) {

  /**
   * The split of {@code rule}. {@code usable} and {@code duplicates} matter to the path-hash rules,
   * {@code previous} (relative path → "train" or "val": the run's last split, empty for a new run)
   * only to path-hash-v2 and v3.
   */
  public static Split of(SplitRule rule, ImageFolder folder, List<LabeledImage> usable, Duplicates duplicates,
      double valFraction, long seed, Map<String, String> previous) {
    return switch (rule) {
      case SHUFFLE_V1 -> stratified(folder, valFraction, seed);
      case PATH_HASH_V1 -> byPathHash(folder, usable, duplicates, valFraction, seed);
      case PATH_HASH_V2, PATH_HASH_V3 -> place(folder, usable, duplicates, valFraction, seed, previous, rule);
    };
  }

  /**
   * The old rule, {@link SplitRule#SHUFFLE_V1}, kept so that checkpoints trained with it resume and
   * evaluate on the images they held out. Files that do not decode are in it (training skips them).
   */
  public static Split stratified(ImageFolder folder, double valFraction, long seed) {
    checkFraction(valFraction);
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
      int held = quota(n, valFraction);
      val.addAll(members.subList(0, held));
      train.addAll(members.subList(held, n));
    }
    return sorted(folder, train, val, seed, valFraction, SplitRule.SHUFFLE_V1);
  }

  /**
   * {@link SplitRule#PATH_HASH_V1}: a split that stays put when photos come and go.
   *
   * <p>Every photo gets a key, the first 64 bits of SHA-256(seed, its path relative to the dataset
   * folder); a near-duplicate group takes the lowest key of its members and moves as one. In each
   * class, in class order, the groups and photos are taken in key order into validation as long as
   * they fit in the class's quota, round(n·fraction) of its n photos (at least 1 and at most n−1
   * when n ≥ 2); the rest train. A group that spans classes is placed by the first of them.
   *
   * <p>So a photo's side depends on its own key and its class's boundary (the highest key taken),
   * never on file order or on the other classes: adding or removing photos moves an existing one
   * only if its key lies between the class's old and new boundary, at most one per photo added or
   * removed in that class (near-duplicate groups aside: a group that did not fit the quota may fit
   * a larger one, and a group whose lowest key changes moves with it). Validation holds exactly the
   * quota unless groups do not fit it: then it holds fewer, never more.
   *
   * @param usable the images that decode (a subset of the folder's): only they are split
   */
  public static Split byPathHash(ImageFolder folder, List<LabeledImage> usable, Duplicates duplicates,
      double valFraction, long seed) {
    return place(folder, usable, duplicates, valFraction, seed, Map.of(), SplitRule.PATH_HASH_V1);
  }

  /**
   * {@link SplitRule#PATH_HASH_V2}: {@link #byPathHash}'s placement for photos the run has not
   * split before, and for the others the side {@code previous} gives them: adding or removing
   * photos moves no other photo.
   *
   * <p>Why it needs the previous split: a rule that looks at nothing but the files cannot have both.
   * If adding photos never moves another, a photo's side in any folder is its side in a folder of
   * itself alone, a function of its own path; then a class's validation count is a sum of coin
   * flips, off from n·fraction by √(n·f·(1−f)) images on average (2.8 at n = 50, f = 0.2; 5.7 at
   * n = 200), not ±1.
   * So the run's last split decides who stays, and the photos it did not know are what balances
   * the class: in each class they are taken in key order into validation while they fit the quota
   * of the class as it is now, counting the validation photos it already holds.
   *
   * <p>What that gives, per class, with v validation photos kept from before and quota q:
   * <ul>
   *   <li>a new run (no previous split), or one that only grew: validation holds exactly q, unless
   *       near-duplicate groups do not fit it (then fewer, never more), as with path-hash-v1;
   *   <li>photos removed: nobody moves to make up for them, so validation holds v, off from q by at
   *       most the number removed from one side since the class was last balanced; the next photos
   *       added go to the side that is short and bring it back to q;
   *   <li>a near-duplicate group takes the side of its first member (lowest key) the run knew, and
   *       a group of new photos alone is placed as one unit by its lowest key, into validation only
   *       if it fits the quota of every class it has photos in (path-hash-v1 asked only the first
   *       of them, and a group across classes could overfill the others). The one case in
   *       which an earlier photo moves: a new photo that joins photos on both sides into one
   *       group (a leak would be worse); the changes line counts it.
   * </ul>
   * Without the run's record (deleted, or never written) the split is computed afresh, which is
   * path-hash-v1's for the same files unless a group spans classes.
   *
   * @param previous relative path → "train" or "val"; paths no longer in the folder are ignored
   */
  public static Split stable(ImageFolder folder, List<LabeledImage> usable, Duplicates duplicates,
      double valFraction, long seed, Map<String, String> previous) {
    return place(folder, usable, duplicates, valFraction, seed, previous, SplitRule.PATH_HASH_V2);
  }

  private static Split place(ImageFolder folder, List<LabeledImage> usable, Duplicates duplicates,
      double valFraction, long seed, Map<String, String> previous, SplitRule rule) {
    checkFraction(valFraction);
    Map<Path, Long> key = new HashMap<>();
    for (LabeledImage img : usable) {
      key.put(img.path(), key(seed, relative(folder.root(), img.path())));
    }
    // One unit per group (its usable members) and per photo outside any group.
    Map<Path, List<LabeledImage>> unitOf = new HashMap<>();
    for (Duplicates.Group g : duplicates.groups()) {
      List<LabeledImage> members = g.members().stream().filter(m -> key.containsKey(m.path())).toList();
      members.forEach(m -> unitOf.put(m.path(), members));
    }
    Map<List<LabeledImage>, Boolean> toVal = new java.util.IdentityHashMap<>();
    for (LabeledImage img : usable) {
      List<LabeledImage> unit = unitOf.computeIfAbsent(img.path(), p -> List.of(img));
      if (!previous.isEmpty() && !toVal.containsKey(unit)) {
        firstKnownSide(unit, key, folder.root(), previous).ifPresent(side -> toVal.put(unit, side));
      }
    }
    int classes = folder.classNames().size();
    int[] quota = new int[classes];
    Map<List<LabeledImage>, int[]> members = new java.util.IdentityHashMap<>(); // unit → its members per class
    for (LabeledImage img : usable) {
      quota[img.label()]++;
      members.computeIfAbsent(unitOf.get(img.path()), u -> new int[classes])[img.label()]++;
    }
    for (int k = 0; k < classes; k++) {
      quota[k] = quota(quota[k], valFraction);
    }
    int[] held = new int[classes];
    toVal.forEach((unit, inVal) -> add(held, inVal ? members.get(unit) : null));
    // path-hash-v1 asked only the class a group was placed by whether it fit, and a group spanning
    // classes could then overfill the others (one of ~500 chained 28 px Fashion-MNIST pictures put
    // 577 of 818 into validation); later rules ask every class the group has members in.
    boolean everyClass = rule != SplitRule.PATH_HASH_V1;
    for (int label = 0; label < classes; label++) {
      List<List<LabeledImage>> open = new ArrayList<>();
      for (var e : members.entrySet()) {
        if (e.getValue()[label] > 0 && !toVal.containsKey(e.getKey())) {
          open.add(e.getKey());
        }
      }
      open.sort(Comparator.comparing((List<LabeledImage> u) -> unitKey(u, key), Long::compareUnsigned)
          .thenComparing(u -> u.get(0).path()));
      for (List<LabeledImage> unit : open) {
        int[] count = members.get(unit);
        boolean fits = held[label] + count[label] <= quota[label];
        for (int k = 0; everyClass && k < classes; k++) {
          fits &= held[k] + count[k] <= quota[k];
        }
        toVal.put(unit, fits);
        add(held, fits ? count : null);
      }
    }
    List<LabeledImage> train = new ArrayList<>();
    List<LabeledImage> val = new ArrayList<>();
    for (LabeledImage img : usable) {
      (toVal.get(unitOf.get(img.path())) ? val : train).add(img);
    }
    return sorted(folder, train, val, seed, valFraction, rule);
  }

  private static void add(int[] held, int[] count) {
    for (int k = 0; count != null && k < held.length; k++) {
      held[k] += count[k];
    }
  }

  /** Whether the member of {@code unit} with the lowest key among those {@code previous} knows was in validation. */
  private static Optional<Boolean> firstKnownSide(List<LabeledImage> unit, Map<Path, Long> key, Path root,
      Map<String, String> previous) {
    String side = null;
    long first = -1L; // the highest unsigned value
    for (LabeledImage m : unit) {
      String was = previous.get(relative(root, m.path()));
      long k = key.get(m.path());
      if (was != null && (side == null || Long.compareUnsigned(k, first) < 0)) {
        side = was;
        first = k;
      }
    }
    return Optional.ofNullable(side).map("val"::equals);
  }

  /** Relative path → "train" or "val": what a run's record keeps and {@link #stable} reads back. */
  public Map<String, String> sides(Path root) {
    Map<String, String> sides = new java.util.LinkedHashMap<>();
    train.forEach(i -> sides.put(relative(root, i.path()), "train"));
    val.forEach(i -> sides.put(relative(root, i.path()), "val"));
    return sides;
  }

  /** round(n·fraction), at least 1 and at most n−1 where a class has two photos or more. */
  public static int quota(int n, double valFraction) {
    int held = (int) Math.round(n * valFraction);
    if (valFraction > 0 && n >= 2) {
      held = Math.max(1, Math.min(n - 1, held));
    }
    return held;
  }

  private static long unitKey(List<LabeledImage> unit, Map<Path, Long> key) {
    long lowest = -1L; // the highest unsigned value
    for (LabeledImage m : unit) {
      long k = key.get(m.path());
      lowest = Long.compareUnsigned(k, lowest) < 0 ? k : lowest;
    }
    return lowest;
  }

  /** First 64 bits of SHA-256("seed\nrelative/path"), to be compared unsigned. */
  public static long key(long seed, String relativePath) {
    byte[] digest = sha256().digest((seed + "\n" + relativePath).getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest).getLong();
  }

  /** A path inside the dataset folder as the split and reports name it: relative, with '/'. */
  public static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private static Split sorted(ImageFolder folder, List<LabeledImage> train, List<LabeledImage> val, long seed,
      double valFraction, SplitRule rule) {
    // Sorted by path, so the order in which files were listed never matters downstream.
    train.sort((a, b) -> a.path().compareTo(b.path()));
    val.sort((a, b) -> a.path().compareTo(b.path()));
    return new Split(folder.classNames(), List.copyOf(train), List.copyOf(val), seed, valFraction, hash(folder), rule);
  }

  private static void checkFraction(double valFraction) {
    if (valFraction < 0 || valFraction >= 1) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + valFraction);
    }
  }

  static String hash(ImageFolder folder) {
    MessageDigest sha = sha256();
    List<String> lines = new ArrayList<>();
    for (LabeledImage img : folder.images()) {
      lines.add(relative(folder.root(), img.path()) + "\t" + img.label());
    }
    Collections.sort(lines);
    for (String line : lines) {
      sha.update(line.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
