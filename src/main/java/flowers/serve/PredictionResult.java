package flowers.serve;

import java.util.List;

/** One input file's outcome: its predictions, or why it could not be read. */
public record PredictionResult(String path, List<Entry> predictions, String error) {

  /** A prediction as {@code predict --format json} writes it (SPEC §5 key order). */
  public record Entry(String className, int classId, float probability) {}

  public static PredictionResult of(String path, List<Prediction> top) {
    return new PredictionResult(path,
        top.stream().map(p -> new Entry(p.className(), p.classId(), p.probability())).toList(), null);
  }

  public static PredictionResult failed(String path, String error) {
    return new PredictionResult(path, null, error);
  }

  public boolean ok() {
    return error == null;
  }
}
