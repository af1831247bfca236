package flowers.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which images an epoch visits and in which order: fixed by (seed, epoch) alone, so a resumed run
 * and every worker of a cluster see the same order.
 */
final class EpochOrder {
  private EpochOrder() {}

  /**
   * The positions of one epoch: a permutation fixed by (seed, epoch), or file order; under
   * {@link Sampling#BALANCED} as many positions, drawn equally from each class (see there).
   */
  static int[] of(List<LabeledImage> images, LoaderConfig config, int epoch) {
    Random random = new Random(config.seed() * 1_000_003L + epoch * 7_919L + 17);
    List<Integer> idx = new ArrayList<>(images.size());
    if (config.shuffle() && config.sampling() == Sampling.BALANCED) {
      idx = balanced(images, random);
    } else {
      for (int i = 0; i < images.size(); i++) {
        idx.add(i);
      }
    }
    if (config.shuffle()) {
      Collections.shuffle(idx, random);
    }
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /** One epoch's draws of {@link Sampling#BALANCED}, in class order (the caller shuffles them). */
  private static List<Integer> balanced(List<LabeledImage> images, Random random) {
    TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < images.size(); i++) {
      byClass.computeIfAbsent(images.get(i).label(), k -> new ArrayList<>()).add(i);
    }
    List<Integer> classes = new ArrayList<>(byClass.keySet());
    // The draws that do not divide evenly go to classes chosen afresh each epoch, so none is favoured.
    Collections.shuffle(classes, random);
    int each = images.size() / Math.max(1, classes.size());
    int extra = images.size() - each * classes.size();
    List<Integer> draws = new ArrayList<>(images.size());
    for (int c = 0; c < classes.size(); c++) {
      List<Integer> members = new ArrayList<>(byClass.get(classes.get(c)));
      int want = each + (c < extra ? 1 : 0);
      // Whole shuffled passes over the class, so no image repeats before every other has been drawn.
      for (int taken = 0; taken < want; taken += members.size()) {
        Collections.shuffle(members, random);
        draws.addAll(members.subList(0, Math.min(members.size(), want - taken)));
      }
    }
    return draws;
  }
}
