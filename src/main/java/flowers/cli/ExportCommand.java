package flowers.cli;

import flowers.serve.Exporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class, showDefaultValues = true,
    description = "Write a SavedModel (tag serve; signatures serving_default and serve_image_bytes).")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--checkpoint-dir", defaultValue = "checkpoints")
  Path checkpointDir;

  @Option(names = "--checkpoint", defaultValue = "latest", description = "latest, best, or a checkpoint prefix.")
  String checkpoint;

  @Option(names = "--output", defaultValue = "export/flowers/1",
      description = "SavedModel folder (TensorFlow Serving expects <model>/<version>).")
  Path output;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws IOException {
    Exporter.Exported e = Exporter.export(checkpointDir, checkpoint, output, Cli::warn);
    System.out.printf("exported %s (step %d, %d px, %d classes) to %s (%.1f MB), loaded back and checked%n",
        e.checkpoint(), e.step(), e.imageSize(), e.classes(), e.dir(), e.bytes() / 1e6);
    System.out.println("signatures: serving_default (images float32 [-1," + e.imageSize() + "," + e.imageSize()
        + ",3], 0-255), serve_image_bytes (image_bytes string [-1]); outputs probabilities, class_ids, class_names");
    return Main.OK;
  }
}
