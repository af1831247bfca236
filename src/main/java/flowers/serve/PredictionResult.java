package flowers.serve;

import java.util.List;

/**
 * One input file's outcome: its predictions, or why it could not be read.
 *
 * @param unknown true when the top probability fell below the "unknown" threshold asked for
 *     ({@code predict --min-confidence}); null otherwise, so that JSON leaves the key out
 */
public record PredictionResult(String path, List<Entry> predictions, String error, Boolean unknown) {

  /** A prediction as {@code predict --format json} writes it (SPEC §5 key order). */
  public record Entry(String className, int classId, float probability) {}

  public static PredictionResult of(String path, List<Prediction> top) {
    return of(path, top, false);
  }

  public static PredictionResult of(String path, List<Prediction> top, boolean unknown) {
    return new PredictionResult(path,
        top.stream().map(p -> new Entry(p.className(), p.classId(), p.probability())).toList(), null,
        unknown ? Boolean.TRUE : null);
  }

  public static PredictionResult failed(String path, String error) {
    return new PredictionResult(path, null, error, null);
  }

  public boolean ok() {
    return error == null;
  }

  public boolean isUnknown() {
    return Boolean.TRUE.equals(unknown);
  }
}
