package flowers.cli;

import flowers.data.SyntheticFlowers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = "Write the synthetic 20-class flower set as JPEGs, one folder per class.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--output", defaultValue = "dataset")
  Path output;

  @Option(names = "--per-class", defaultValue = "50")
  int perClass;

  @Option(names = "--image-size", defaultValue = "224")
  int imageSize;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws IOException {
    var s = SyntheticFlowers.generate(new SyntheticFlowers.Config(output, perClass, imageSize, seed));
    System.out.printf("generated %d images of %d classes in %s (%.1fs)%n", s.images(), s.classes(), s.output(),
        s.elapsed().toMillis() / 1000.0);
    return Main.OK;
  }
}
