package flowers.cli;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.checkpoint.Json;
import flowers.checkpoint.SplitRecord;
import flowers.data.DataCheck;
import flowers.data.DatasetScan;
import flowers.data.ImageFolder;
import flowers.data.LabeledImage;
import flowers.data.Split;
import flowers.eval.EvalReport;
import flowers.eval.Evaluator;
import flowers.serve.Classifier;
import flowers.serve.PredictionResult;
import flowers.serve.Predictor;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = "Top-1, top-5, per-class precision/recall and the confusion matrix of a checkpoint.")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "dataset")
  Path dataDir;

  @Option(names = "--checkpoint-dir", defaultValue = "checkpoints")
  Path checkpointDir;

  @Option(names = "--checkpoint", defaultValue = "latest", description = "latest, best, or a checkpoint prefix.")
  String checkpoint;

  @Option(names = "--split", defaultValue = "val", description = "val (the images training held out) or all.")
  String split;

  @Option(names = "--json", description = "Also write the numbers to this file.")
  Path json;

  @Option(names = "--report", description = "Also write an HTML run report with charts into this folder.")
  Path report;

  @Option(names = "--ood-dir", paramLabel = "DIR",
      description = "A folder of images of other things (not the classes trained on): report how well the top probability tells them apart (AUROC).")
  Path oodDir;

  @Option(names = "--batch-size", defaultValue = "16")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0")
  int threads;

  @Option(names = "--loader-threads", defaultValue = "2")
  int loaderThreads;

  @Option(names = "--precision", defaultValue = "fp32",
      description = "fp32 (what the exported model computes), bf16 (faster where the CPU has native bf16; stops if a check against fp32 fails here) or auto (bf16 only if that check passes).")
  String precision;

  @Mixin DeviceOption device;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws IOException {
    if (!split.equals("val") && !split.equals("all")) {
      throw new IllegalArgumentException("--split must be val or all, got '" + split + "'");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
    List<Path> oodFiles = null;
    if (oodDir != null) {
      if (!Files.isDirectory(oodDir)) {
        throw new IllegalArgumentException("--ood-dir " + oodDir + " is not a folder");
      }
      oodFiles = Predictor.expand(List.of(oodDir));
      if (oodFiles.isEmpty()) {
        throw new IllegalArgumentException("no image files in --ood-dir " + oodDir);
      }
    }
    SessionOptions session = new SessionOptions(threads, Precision.parse(precision), device.device());
    CheckpointManager checkpoints = new CheckpointManager(checkpointDir, 1, Cli::warn);
    CheckpointMetadata meta = checkpoints.resolve(checkpoint);
    ImageFolder scanned = DatasetScan.scan(dataDir);
    scanned.warnSkipped(Cli::warn);
    if (!scanned.classNames().equals(meta.classNames())) {
      throw new IllegalArgumentException("the classes in " + dataDir + " differ from those checkpoint " + meta.name()
          + " was trained on (" + meta.classNames().size() + " classes): evaluate on the same dataset layout");
    }
    // The split the run trained with: its rule, seed and fraction (fingerprints come from its cache).
    Path runDir = checkpointFolder();
    DataCheck check = DataCheck.run(scanned, meta.splitRuleOrOld(), meta.valFraction(), meta.seed(), loaderThreads,
        runDir.resolve(DataCheck.CACHE_FILE), SplitRecord.sides(runDir, meta));
    check.warnings().forEach(Cli::warn);
    ImageFolder folder = check.folder();
    Split s = check.split();
    if (split.equals("val")) {
      SplitRecord.changes(runDir, meta, folder.root(), s).ifPresent(Cli::warn);
    }
    List<LabeledImage> images = split.equals("val") ? s.val() : folder.images();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images in the " + split + " split of " + dataDir + " (try --split all)");
    }
    try (Classifier c = Classifier.fromCheckpoint(checkpoints, meta, session)) {
      Evaluator.Outcome o = Evaluator.evaluate(c::probabilities, meta.temperature(), c.imageSize(), c.classNames(),
          images, batchSize, loaderThreads, 16);
      var cm = o.matrix();
      System.out.printf("checkpoint %s (step %d), %s split: %d images, %d skipped%n", meta.name(), meta.step(), split,
          cm.total(), o.skipped() + folder.skipped().size());
      System.out.printf("top-1 %.4f   top-5 %.4f   loss %.4f%n", cm.top1(), cm.top5(), cm.meanLoss());
      System.out.printf("balanced accuracy (macro recall) %.4f%n", cm.macroRecall());
      System.out.printf("calibration: temperature %.3f, expected calibration error %.4f (%.4f uncalibrated)%n%n",
          meta.temperature(), o.ece(), o.eceUncalibrated());
      double[] ood = oodFiles == null ? null : oodScores(c, oodFiles);
      EvalReport numbers = EvalReport.of(meta.name(), split, o, meta.temperature(), o.skipped() + folder.skipped().size())
          .withUnknowns(meta.minConfidence(), o.maxProbabilities(), ood);
      if (numbers.oodAuroc() != null) {
        System.out.printf("out-of-distribution: AUROC %.4f of the top probability, %d %s images vs %d in %s%n",
            numbers.oodAuroc(), o.maxProbabilities().length, split, ood.length, oodDir);
      }
      if (numbers.minConfidence() != null) {
        System.out.printf("unknown below %.4f (predict --min-confidence auto): %.1f %% of the %s images%s%n",
            numbers.minConfidence(), 100 * numbers.unknownShare(), split,
            numbers.oodUnknownShare() == null ? "" : String.format(java.util.Locale.ROOT, ", %.1f %% of %s",
                100 * numbers.oodUnknownShare(), oodDir));
      }
      if (ood != null || numbers.minConfidence() != null) {
        System.out.println();
      }
      cm.perClassLines().forEach(System.out::println);
      System.out.println();
      System.out.print(cm.table());
      if (json != null) {
        if (json.toAbsolutePath().getParent() != null) {
          Files.createDirectories(json.toAbsolutePath().getParent());
        }
        Json.writeAtomically(json, Json.GSON.toJson(numbers));
        System.out.println("wrote " + json);
      }
    }
    if (report != null) {
      Path html = flowers.report.Reporter.write(checkpoints, meta, images, split, report, batchSize, loaderThreads, session);
      System.out.println("report: " + html);
    }
    return Main.OK;
  }

  /** The top probability of each readable image of {@code --ood-dir}; unreadable ones are warned about and left out. */
  private double[] oodScores(Classifier c, List<Path> files) {
    List<PredictionResult> results = Predictor.predict(c, files, 1, batchSize);
    int unreadable = 0;
    List<Double> scores = new java.util.ArrayList<>();
    for (PredictionResult r : results) {
      if (r.ok()) {
        scores.add((double) r.predictions().get(0).probability());
      } else {
        unreadable++;
      }
    }
    if (unreadable > 0) {
      Cli.warn(unreadable + " of the " + files.size() + " files in --ood-dir " + oodDir + " could not be read; left out");
    }
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("none of the files in --ood-dir " + oodDir + " could be read");
    }
    return scores.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The folder of the checkpoint: {@code --checkpoint} may be a prefix path elsewhere. */
  private Path checkpointFolder() {
    Path prefix = Path.of(checkpoint);
    return prefix.getParent() == null ? checkpointDir : prefix.getParent();
  }
}
