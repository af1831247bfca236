package flowers.data;

import java.util.Locale;

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
  PATH_HASH_V2("path-hash-v2", 7);

  /** What new runs use. */
  public static final SplitRule CURRENT = PATH_HASH_V2;

  /** The name checkpoints and reports write. */
  public final String id;
  /** The dHash distance that makes two photos one group; -1 for a rule without groups. */
  public final int maxDistance;

  SplitRule(String id, int maxDistance) {
    this.id = id;
    this.maxDistance = maxDistance;
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
