package flowers.cli;

import flowers.bench.BenchResult;
import flowers.bench.Benchmark;
import flowers.json.Json;
import flowers.data.SyntheticFlowers;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = "Measure training and inference speed, latency and memory on this machine.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--image-size", defaultValue = "224")
  int imageSize;

  @Option(names = "--batch-size", defaultValue = "16")
  int batchSize;

  @Option(names = "--steps", defaultValue = "20", description = "Timed steps per measurement (after 3 warm-up steps).")
  int steps;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads (0 = TensorFlow's choice).")
  int threads;

  @Option(names = "--precision", defaultValue = "auto", description = "auto, fp32 or bf16 for training and batch inference (bf16 only where a check against fp32 passes on this machine); single-image latency is measured in fp32, and in bf16 too when that is what runs.")
  String precision;

  @Option(names = "--data-dir", description = "Images for the end-to-end measurement (default: a generated set).")
  Path dataDir;

  @Option(names = "--json", description = "Also write the figures to this file.")
  Path json;

  @Mixin DeviceOption device;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws IOException {
    if (imageSize < 32 || imageSize % 32 != 0) {
      throw new IllegalArgumentException("--image-size must be a positive multiple of 32, got " + imageSize);
    }
    if (batchSize < 1 || steps < 1) {
      throw new IllegalArgumentException("--batch-size and --steps must be at least 1");
    }
    Path work = Files.createTempDirectory("flowers-bench");
    try {
      Path data = dataDir;
      if (data == null) {
        data = work.resolve("data");
        SyntheticFlowers.generate(new SyntheticFlowers.Config(data, Math.max(4, batchSize / 2), imageSize, 7));
      }
      BenchResult r = new Benchmark(new Benchmark.Config(imageSize, batchSize, steps,
          new SessionOptions(threads, Precision.parse(precision), device.device()),
          data, work, 100), System.out::println).run();
      String out = Json.GSON.toJson(r);
      System.out.println(out);
      if (json != null) {
        Json.writeAtomically(json, out);
      }
      return Main.OK;
    } finally {
      FileUtils.deleteQuietly(work.toFile());
    }
  }
}
