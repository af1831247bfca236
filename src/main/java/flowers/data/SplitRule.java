package flowers.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a run divides its photos into training and validation; a checkpoint records which one, so a
 * run resumes and is evaluated on the split it trained with, whatever rule is current.
 */
public enum SplitRule {
  /**
   * Until issue 16: each class shuffled with {@code Random(seed·1000003 + class)}, the first
   * round(n·fraction) held out. Adding or removing one photo reshuffles its whole class.
   * Checkpoints without a {@code split_rule} used it.
   */
  SHUFFLE_V1("shuffle-v1", -1),
  /**
   * Each photo's place from SHA-256(seed, path relative to the dataset folder); near-duplicate
   * groups (dHash within {@code 7} bits, or identical bytes) kept on one side. See
   * {@link Split#byPathHash}. The bound is part of the rule: another bound is another rule.
   */
  PATH_HASH_V1("path-hash-v1", 7),
  /**
   * path-hash-v1 for photos the run has not split before; the others keep the side the run's last
   * split gave them, so adding or removing photos moves no other photo; and a group across classes
   * goes to validation only if it fits every one of their quotas. See {@link Split#stable}.
   */
  PATH_HASH_V2("path-hash-v2", 7),
  /**
   * path-hash-v2's placement of today's near-duplicate groups ({@link Duplicates#find}: the dHash
   * match confirmed by the thumbnails, every two members alike), where v1 and v2 keep their
   * groups joined link by link ({@link Duplicates#components}). A new rule because the groups
   * decide the sides: a run split by v2 would get another split from the same files, wherever
   * it has no record of its own (splits/), and is evaluated on the split it trained with.
   */
  PATH_HASH_V3("path-hash-v3", 7);

  /** What new runs use. */
  public static final SplitRule CURRENT = PATH_HASH_V3;

  /** The name checkpoints and reports write. */
  public final String id;
  /** The dHash distance that makes two photos one group; -1 for a rule without groups. */
  public final int maxDistance;

  SplitRule(String id, int maxDistance) {
    this.id = id;
    this.maxDistance = maxDistance;
  }

  /** The groups this rule keeps on one side. */
  public Duplicates groups(List<LabeledImage> images, Map<Path, Fingerprint> fingerprints, Duplicates current) {
    return switch (this) {
      case SHUFFLE_V1 -> new Duplicates(List.of());
      case PATH_HASH_V1, PATH_HASH_V2 -> Duplicates.components(images, fingerprints, maxDistance);
      case PATH_HASH_V3 -> current;
    };
  }

  /** The rule a checkpoint names; none (a checkpoint from before rules were recorded) is the old rule. */
  public static SplitRule of(String id) {
    if (id == null || id.isBlank()) {
      return SHUFFLE_V1;
    }
    for (SplitRule r : values()) {
      if (r.id.equals(id.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new DataException("split rule '" + id + "' is unknown to this version: it was written by a newer one");
  }

  @Override
  public String toString() {
    return id;
  }
}
