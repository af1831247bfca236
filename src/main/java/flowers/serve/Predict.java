package flowers.serve;

import flowers.checkpoint.CheckpointManager;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code predict} command as a library call: files and folders classified by a checkpoint or a
 * SavedModel; a file that cannot be read is an error entry, not a failure.
 */
public final class Predict {
  private Predict() {}

  /**
   * @param checkpoint {@code latest}, {@code best}, a name or a prefix path; null = latest
   * @param savedModel an exported SavedModel folder instead of a checkpoint; null for none
   * @param minConfidence {@code auto} (the checkpoint's own threshold), a probability in (0, 1), or
   *     null: below it an image is "unknown"
   */
  public record Config(List<Path> paths, Path checkpointDir, String checkpoint, Path savedModel, int topK,
      int batchSize, String minConfidence, SessionOptions session) {

    public Config {
      paths = List.copyOf(paths);
      if (topK < 1) {
        throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
      }
      if (savedModel != null && checkpoint != null) {
        throw new IllegalArgumentException("give --saved-model or --checkpoint, not both");
      }
      fixedThreshold(minConfidence); // fails early on a bad value
    }

    /** The command's defaults (SPEC §5): the latest checkpoint of {@code checkpointDir}, top 5, in fp32. */
    public static Config of(List<Path> paths, Path checkpointDir) {
      return new Config(paths, checkpointDir, null, null, 5, 16, null, SessionOptions.DEFAULT);
    }

    public Config withSavedModel(Path dir) {
      return new Config(paths, checkpointDir, null, dir, topK, batchSize, minConfidence, session);
    }

    public Config withTopK(int k) {
      return new Config(paths, checkpointDir, checkpoint, savedModel, k, batchSize, minConfidence, session);
    }

    public Config withMinConfidence(String value) {
      return new Config(paths, checkpointDir, checkpoint, savedModel, topK, batchSize, value, session);
    }
  }

  /**
   * @param results one per input file, in input order
   * @param threshold the "unknown" threshold applied; NaN for none
   */
  public record Result(List<PredictionResult> results, double threshold) {
    /** How many files got predictions; the rest are error entries. */
    public long classified() {
      return results.stream().filter(PredictionResult::ok).count();
    }
  }

  /**
   * @param warn where warnings go (a checkpoint skipped as damaged), one line each
   * @param note where the line on the precision chosen goes (only with bf16 or auto asked for)
   * @throws IllegalArgumentException no image file in the paths given
   * @throws IllegalStateException {@code auto} asked of a model that stores no threshold
   */
  public static Result run(Config config, Consumer<String> warn, Consumer<String> note) throws IOException {
    List<Path> files = Predictor.expand(config.paths());
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no image files in " + config.paths());
    }
    boolean auto = "auto".equals(config.minConfidence());
    try (Classifier c = open(config, warn, note)) {
      double threshold = auto ? c.minConfidence() : fixedThreshold(config.minConfidence());
      if (auto && Double.isNaN(threshold)) {
        throw new IllegalStateException("--min-confidence auto: " + c.source() + " has no stored threshold (trained or "
            + "exported before it was measured): retrain, or pass a probability such as --min-confidence 0.5");
      }
      return new Result(Predictor.predict(c, files, config.topK(), config.batchSize(), threshold), threshold);
    }
  }

  private static Classifier open(Config config, Consumer<String> warn, Consumer<String> note) {
    if (config.savedModel() != null) {
      return Classifier.fromSavedModel(config.savedModel(), config.session(), note);
    }
    CheckpointManager checkpoints = new CheckpointManager(config.checkpointDir(), 1, warn);
    return Classifier.fromCheckpoint(checkpoints, checkpoints.resolve(config.checkpoint()), config.session(), note);
  }

  /** NaN for none or auto (auto is resolved once the model is open), else a probability in (0, 1). */
  static double fixedThreshold(String value) {
    if (value == null || value.equals("auto")) {
      return Double.NaN;
    }
    double p;
    try {
      p = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      p = Double.NaN;
    }
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("--min-confidence must be auto or a probability between 0 and 1 (exclusive), got '"
          + value + "'");
    }
    return p;
  }
}
