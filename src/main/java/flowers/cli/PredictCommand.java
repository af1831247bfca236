package flowers.cli;

import flowers.json.Json;
import flowers.serve.Predict;
import flowers.serve.PredictionResult;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = "Classify image files and folders; unreadable files are reported, not fatal.")
final class PredictCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or folders (searched recursively).")
  List<Path> paths;

  @Option(names = "--checkpoint-dir", defaultValue = "checkpoints")
  Path checkpointDir;

  @Option(names = "--checkpoint", description = "latest (default), best, or a checkpoint prefix.")
  String checkpoint;

  @Option(names = "--saved-model", description = "Use an exported SavedModel folder instead of a checkpoint.")
  Path savedModel;

  @Option(names = "--top-k", defaultValue = "5")
  int topK;

  @Option(names = "--format", defaultValue = "text", description = "text, csv or json.")
  String format;

  @Option(names = "--batch-size", defaultValue = "16")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0")
  int threads;

  @Option(names = "--precision", defaultValue = "fp32",
      description = "fp32 (what the exported model computes), bf16 (faster where the CPU has native bf16; stops if a check against fp32 fails here) or auto (bf16 only if that check passes).")
  String precision;

  @Option(names = "--min-confidence", paramLabel = "auto|P",
      description = "Answer 'unknown' when the top probability is below P (0 < P < 1), or below the threshold training chose on the validation split (auto). Default: off.")
  String minConfidence;

  @Mixin DeviceOption device;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws IOException {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!List.of("text", "csv", "json").contains(fmt)) {
      throw new IllegalArgumentException("--format must be text, csv or json, got '" + format + "'");
    }
    Predict.Config config = new Predict.Config(paths, checkpointDir, checkpoint, savedModel, topK, batchSize,
        minConfidence, new SessionOptions(threads, Precision.parse(precision), device.device()));
    Predict.Result result = Predict.run(config, Cli::warn, Cli::note);
    print(result.results(), fmt, result.threshold());
    if (result.classified() == 0) {
      int n = result.results().size();
      System.err.println("error: none of the " + n + " file" + (n == 1 ? "" : "s")
          + " could be classified: see the error for each above (JPEG, PNG, GIF and BMP are read)");
      return Main.FAILURE;
    }
    return Main.OK;
  }

  /**
   * An unknown image keeps its top-k guesses everywhere. CSV: its rows are preceded by one of rank 0,
   * class_name {@code unknown}, class_id -1 and the top probability that fell short, so readers of
   * rank 1 see the guess as before. Text: {@code unknown (< T)} before the guesses.
   */
  private static void print(List<PredictionResult> results, String fmt, double threshold) {
    switch (fmt) {
      case "json" -> System.out.println(Json.GSON.toJson(results));
      case "csv" -> {
        System.out.println("path,rank,class_name,class_id,probability");
        for (PredictionResult r : results) {
          if (!r.ok()) {
            System.err.println("warning: " + r.path() + ": " + r.error());
            continue;
          }
          if (r.isUnknown()) {
            System.out.printf(Locale.ROOT, "%s,0,unknown,-1,%.6f%n", csv(r.path()), r.predictions().get(0).probability());
          }
          for (int k = 0; k < r.predictions().size(); k++) {
            var p = r.predictions().get(k);
            System.out.printf(Locale.ROOT, "%s,%d,%s,%d,%.6f%n", csv(r.path()), k + 1, csv(p.className()), p.classId(), p.probability());
          }
        }
      }
      default -> {
        for (PredictionResult r : results) {
          if (!r.ok()) {
            System.out.println(r.path() + ": error: " + r.error());
            continue;
          }
          StringBuilder line = new StringBuilder(r.path()).append(':');
          if (r.isUnknown()) {
            line.append(String.format(Locale.ROOT, "  unknown (< %.3f)", threshold));
          }
          for (var p : r.predictions()) {
            line.append(String.format(Locale.ROOT, "  %s %.3f", p.className(), p.probability()));
          }
          System.out.println(line);
        }
      }
    }
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
