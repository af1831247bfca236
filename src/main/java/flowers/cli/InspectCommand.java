package flowers.cli;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.checkpoint.SplitRecord;
import flowers.json.Json;
import flowers.data.DataCheck;
import flowers.data.DatasetScan;
import flowers.data.SplitRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = "Check a dataset folder before training: class sizes and imbalance, unreadable files, image sizes,"
        + " exact and near duplicates within a class, across classes and across the train/validation split.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATA_DIR", description = "One sub-folder of images per class.")
  Path dataDir;

  @Option(names = "--json", description = "Also write the findings to this file.")
  Path json;

  @Option(names = "--val-fraction", defaultValue = "0.2", description = "Share of each class a new run holds out.")
  double valFraction;

  @Option(names = "--seed", defaultValue = "42", description = "The seed of the split, as train takes it.")
  long seed;

  @Option(names = "--checkpoint-dir",
      description = "Check the split of this run instead (its rule, seed and fraction): a run from before split rules were recorded may leak.")
  Path checkpointDir;

  @Option(names = "--checkpoint", defaultValue = "latest", description = "With --checkpoint-dir: latest, best, or a checkpoint prefix.")
  String checkpoint;

  @Option(names = "--threads", defaultValue = "2", description = "Decoding threads.")
  int threads;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws IOException {
    if (valFraction < 0 || valFraction >= 1) {
      throw new IllegalArgumentException("--val-fraction must be at least 0 and below 1, got " + valFraction);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    var folder = DatasetScan.scan(dataDir);
    SplitRule rule = SplitRule.CURRENT;
    double fraction = valFraction;
    long splitSeed = seed;
    Path cache = null;
    Map<String, String> previous = Map.of();
    if (checkpointDir != null) {
      CheckpointMetadata meta = new CheckpointManager(checkpointDir, 1, Cli::warn).resolve(checkpoint);
      rule = meta.splitRuleOrOld();
      fraction = meta.valFraction();
      splitSeed = meta.seed();
      cache = checkpointDir.resolve(DataCheck.CACHE_FILE);
      previous = SplitRecord.sides(checkpointDir, meta);
      System.out.println("the split of " + meta.name() + " in " + checkpointDir);
    }
    DataCheck check = DataCheck.run(folder, rule, fraction, splitSeed, threads, cache, previous);
    check.lines().forEach(System.out::println);
    if (json != null) {
      Json.write(json, check.report());
      System.out.println("wrote " + json);
    }
    return Main.OK;
  }
}
