package flowers.serve;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.checkpoint.SplitRecord;
import flowers.data.DataCheck;
import flowers.data.DatasetScan;
import flowers.data.ImageFolder;
import flowers.data.LabeledImage;
import flowers.data.Split;
import flowers.eval.EvalReport;
import flowers.eval.Evaluator;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code evaluate} command as a library call: a checkpoint on the split its run trained with,
 * evaluated once. The command prints the result; the run report draws it; tests assert on it.
 */
public final class Evaluate {
  private Evaluate() {}

  /** How many of the most confident mistakes a result keeps (the run report shows them). */
  public static final int KEEP_WORST = 24;

  /**
   * @param checkpoint {@code latest}, {@code best}, a checkpoint name or a prefix path
   * @param split {@code val} (the images the run held out) or {@code all}
   * @param oodDir a folder of other things, for the "unknown" figures; null for none
   */
  public record Config(Path dataDir, Path checkpointDir, String checkpoint, String split, int batchSize,
      int loaderThreads, SessionOptions session, Path oodDir) {

    public Config {
      if (!"val".equals(split) && !"all".equals(split)) {
        throw new IllegalArgumentException("--split must be val or all, got '" + split + "'");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
      }
      if (loaderThreads < 1) {
        throw new IllegalArgumentException("--loader-threads must be at least 1, got " + loaderThreads);
      }
    }

    /** The command's defaults (SPEC §5): the latest checkpoint on the validation split, in fp32. */
    public static Config of(Path dataDir, Path checkpointDir) {
      return new Config(dataDir, checkpointDir, "latest", "val", 16, 2, SessionOptions.DEFAULT, null);
    }

    public Config withCheckpoint(String spec) {
      return new Config(dataDir, checkpointDir, spec, split, batchSize, loaderThreads, session, oodDir);
    }

    public Config withSplit(String name) {
      return new Config(dataDir, checkpointDir, checkpoint, name, batchSize, loaderThreads, session, oodDir);
    }

    public Config withOodDir(Path dir) {
      return new Config(dataDir, checkpointDir, checkpoint, split, batchSize, loaderThreads, session, dir);
    }
  }

  /**
   * @param report the numbers {@code evaluate --json} writes
   * @param outcome the same evaluation in full: the confusion matrix, the worst mistakes, the reliability diagram
   * @param checkpoint the checkpoint evaluated; its folder holds its run's history
   * @param skipped files of the split that could not be read (the scan's and the loader's)
   */
  public record Result(EvalReport report, Evaluator.Outcome outcome, CheckpointMetadata checkpoint, int skipped) {}

  /** The split asked for holds no image: nothing to evaluate (a usage error for the command). */
  public static final class EmptySplit extends IllegalArgumentException {
    EmptySplit(String message) {
      super(message);
    }
  }

  /**
   * @param warn where the warnings go (unreadable files, duplicates, a changed dataset), one line each
   * @param note where the line on the precision chosen goes (only with bf16 or auto asked for)
   * @throws EmptySplit the split holds no image
   * @throws IllegalArgumentException a dataset that does not fit the checkpoint, an empty split, a bad {@code oodDir}
   */
  public static Result run(Config config, Consumer<String> warn, Consumer<String> note) throws IOException {
    List<Path> oodFiles = oodFiles(config.oodDir());
    CheckpointManager checkpoints = new CheckpointManager(config.checkpointDir(), 1, warn);
    CheckpointMetadata meta = checkpoints.resolve(config.checkpoint());
    ImageFolder scanned = DatasetScan.scan(config.dataDir());
    scanned.warnSkipped(warn);
    if (!scanned.classNames().equals(meta.classNames())) {
      throw new IllegalArgumentException("the classes in " + config.dataDir() + " differ from those checkpoint "
          + meta.name() + " was trained on (" + meta.classNames().size() + " classes): evaluate on the same dataset layout");
    }
    // The split the run trained with: its rule, seed and fraction (fingerprints come from its cache).
    Path runDir = meta.folder() != null ? meta.folder() : checkpoints.dir();
    DataCheck check = DataCheck.run(scanned, meta.splitRuleOrOld(), meta.valFraction(), meta.seed(),
        config.loaderThreads(), runDir.resolve(DataCheck.CACHE_FILE), SplitRecord.sides(runDir, meta));
    check.warnings().forEach(warn);
    ImageFolder folder = check.folder();
    Split s = check.split();
    boolean val = config.split().equals("val");
    if (val) {
      SplitRecord.changes(runDir, meta, folder.root(), s).ifPresent(warn);
    }
    List<LabeledImage> images = val ? s.val() : folder.images();
    if (images.isEmpty()) {
      throw new EmptySplit("no images in the " + config.split() + " split of " + config.dataDir()
          + " (try --split all)");
    }
    try (Classifier c = Classifier.fromCheckpoint(checkpoints, meta, config.session(), note)) {
      Evaluator.Outcome o = Evaluator.evaluate(c::probabilities, meta.temperature(), c.imageSize(), c.classNames(),
          images, config.batchSize(), config.loaderThreads(), KEEP_WORST, warn);
      double[] ood = oodFiles == null ? null : oodScores(c, oodFiles, config, warn);
      int skipped = o.skipped() + folder.skipped().size();
      EvalReport report = EvalReport.of(meta.name(), config.split(), o, meta.temperature(), skipped)
          .withUnknowns(meta.minConfidence(), o.maxProbabilities(), ood);
      return new Result(report, o, meta, skipped);
    }
  }

  private static List<Path> oodFiles(Path dir) throws IOException {
    if (dir == null) {
      return null;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--ood-dir " + dir + " is not a folder");
    }
    List<Path> files = Predictor.expand(List.of(dir));
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no image files in --ood-dir " + dir);
    }
    return files;
  }

  /** The top probability of each readable image of {@code --ood-dir}; unreadable ones are warned about and left out. */
  private static double[] oodScores(Classifier c, List<Path> files, Config config, Consumer<String> warn) {
    List<PredictionResult> results = Predictor.predict(c, files, 1, config.batchSize());
    List<Double> scores = new ArrayList<>();
    for (PredictionResult r : results) {
      if (r.ok()) {
        scores.add((double) r.predictions().get(0).probability());
      }
    }
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("none of the files in --ood-dir " + config.oodDir() + " could be read");
    }
    if (scores.size() < files.size()) {
      warn.accept((files.size() - scores.size()) + " of the " + files.size() + " files in --ood-dir "
          + config.oodDir() + " could not be read; left out");
    }
    return scores.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
