package flowers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import flowers.train.TrainConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainDefaultsTest {
  @Test
  void trainWithoutFlagsIsTheLibrarysDefaults() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs();
    assertEquals(TrainConfig.defaults(Path.of("dataset"), Path.of("checkpoints")), command.config());
  }

  @Test
  void flagsLandInTheirFields() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs("--image-size", "64", "--batch-norm", "--epochs", "3", "--no-resume");
    TrainConfig c = command.config();
    assertEquals(TrainConfig.defaults(Path.of("dataset"), Path.of("checkpoints")).toBuilder().imageSize(64)
        .batchNorm(true).epochs(3).resume(false).build(), c);
  }
}
