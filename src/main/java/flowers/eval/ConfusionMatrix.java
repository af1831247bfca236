package flowers.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of (true class, predicted class) plus top-k hits; everything evaluation reports. */
public final class ConfusionMatrix {

  public record ClassMetrics(double precision, double recall, long support) {}

  private final List<String> classNames;
  private final long[][] counts;
  private long top5Hits;
  private long total;
  private double lossSum;

  public ConfusionMatrix(List<String> classNames) {
    this.classNames = List.copyOf(classNames);
    this.counts = new long[classNames.size()][classNames.size()];
  }

  /** Adds one example from its class probabilities (or logits: only the order matters for top-k). */
  public void add(int trueClass, float[] scores, int offset) {
    int c = classNames.size();
    int best = 0;
    int higher = 0;
    for (int j = 0; j < c; j++) {
      if (scores[offset + j] > scores[offset + best]) {
        best = j;
      }
      if (scores[offset + j] > scores[offset + trueClass]) {
        higher++;
      }
    }
    counts[trueClass][best]++;
    if (higher < 5) {
      top5Hits++;
    }
    total++;
  }

  /** Adds the cross-entropy of one example, from its probabilities. */
  public void addLoss(double loss) {
    lossSum += loss;
  }

  public long total() {
    return total;
  }

  public double meanLoss() {
    return total == 0 ? Double.NaN : lossSum / total;
  }

  public double top1() {
    long hits = 0;
    for (int i = 0; i < counts.length; i++) {
      hits += counts[i][i];
    }
    return total == 0 ? Double.NaN : hits / (double) total;
  }

  public double top5() {
    return total == 0 ? Double.NaN : top5Hits / (double) total;
  }

  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Precision, recall and support by class name, in class-id order. */
  public Map<String, ClassMetrics> perClass() {
    Map<String, ClassMetrics> out = new LinkedHashMap<>();
    for (int k = 0; k < counts.length; k++) {
      long tp = counts[k][k];
      long support = 0;
      long predicted = 0;
      for (int j = 0; j < counts.length; j++) {
        support += counts[k][j];
        predicted += counts[j][k];
      }
      out.put(
          classNames.get(k),
          new ClassMetrics(
              predicted == 0 ? 0 : tp / (double) predicted,
              support == 0 ? 0 : tp / (double) support,
              support));
    }
    return out;
  }

  /**
   * The mean of the per-class recalls over the classes present in the evaluated images: what
   * top-1 would be if every class had as many images. For one label per image this is also the
   * balanced accuracy. NaN when nothing was evaluated.
   */
  public double macroRecall() {
    double sum = 0;
    int present = 0;
    for (ClassMetrics m : perClass().values()) {
      if (m.support() > 0) {
        sum += m.recall();
        present++;
      }
    }
    return present == 0 ? Double.NaN : sum / present;
  }

  /** The confusion matrix as an aligned text table, rows = true class. */
  public String table() {
    int width = 4;
    for (long[] row : counts) {
      for (long v : row) {
        width = Math.max(width, Long.toString(v).length() + 1);
      }
    }
    int nameWidth = classNames.stream().mapToInt(String::length).max().orElse(4) + 2;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-" + nameWidth + "s", "true\\pred"));
    for (int j = 0; j < counts.length; j++) {
      sb.append(String.format("%" + width + "d", j));
    }
    sb.append('\n');
    for (int i = 0; i < counts.length; i++) {
      sb.append(String.format("%-" + nameWidth + "s", i + " " + classNames.get(i)));
      for (int j = 0; j < counts.length; j++) {
        sb.append(String.format("%" + width + "d", counts[i][j]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  public List<String> perClassLines() {
    List<String> lines = new ArrayList<>();
    int nameWidth = classNames.stream().mapToInt(String::length).max().orElse(5) + 2;
    lines.add(String.format("%-" + nameWidth + "s %9s %9s %8s", "class", "precision", "recall", "support"));
    perClass().forEach((name, m) ->
        lines.add(String.format("%-" + nameWidth + "s %9.3f %9.3f %8d", name, m.precision(), m.recall(), m.support())));
    return lines;
  }
}
