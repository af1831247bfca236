package flowers.cli;

import flowers.checkpoint.CheckpointMetadata;
import flowers.eval.ConfusionMatrix;
import flowers.eval.EvalReport;
import flowers.json.Json;
import flowers.report.Reporter;
import flowers.serve.Evaluate;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
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
    Evaluate.Config config = new Evaluate.Config(dataDir, checkpointDir, checkpoint, split, batchSize, loaderThreads,
        new SessionOptions(threads, Precision.parse(precision), device.device()), oodDir);
    Evaluate.Result result = Evaluate.run(config, Cli::warn, Cli::note);
    print(result);
    if (json != null) {
      Json.write(json, result.report());
      System.out.println("wrote " + json);
    }
    if (report != null) {
      Path html = Reporter.write(report, result.checkpoint(), split, result.outcome());
      System.out.println("report: " + html);
    }
    return Main.OK;
  }

  private void print(Evaluate.Result result) {
    EvalReport numbers = result.report();
    CheckpointMetadata meta = result.checkpoint();
    ConfusionMatrix cm = result.outcome().matrix();
    System.out.printf("checkpoint %s (step %d), %s split: %d images, %d skipped%n", meta.name(), meta.step(), split,
        cm.total(), result.skipped());
    System.out.printf("top-1 %.4f   top-5 %.4f   loss %.4f%n", cm.top1(), cm.top5(), cm.meanLoss());
    System.out.printf("balanced accuracy (macro recall) %.4f%n", cm.macroRecall());
    System.out.printf("calibration: temperature %.3f, expected calibration error %.4f (%.4f uncalibrated)%n%n",
        meta.temperature(), numbers.ece(), numbers.eceUncalibrated());
    if (numbers.oodAuroc() != null) {
      System.out.printf("out-of-distribution: AUROC %.4f of the top probability, %d %s images vs %d in %s%n",
          numbers.oodAuroc(), cm.total(), split, numbers.oodImages(), oodDir);
    }
    if (numbers.minConfidence() != null) {
      System.out.printf("unknown below %.4f (predict --min-confidence auto): %.1f %% of the %s images%s%n",
          numbers.minConfidence(), 100 * numbers.unknownShare(), split,
          numbers.oodUnknownShare() == null ? "" : String.format(Locale.ROOT, ", %.1f %% of %s",
              100 * numbers.oodUnknownShare(), oodDir));
    }
    if (numbers.oodAuroc() != null || numbers.minConfidence() != null) {
      System.out.println();
    }
    cm.perClassLines().forEach(System.out::println);
    System.out.println();
    System.out.print(cm.table());
  }
}
