package flowers.serve;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.model.Names;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import flowers.tf.Sessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/** Writes the SavedModel of SPEC §4 from a checkpoint, then loads it back to prove it works. */
public final class Exporter {
  private Exporter() {}

  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  /** What was written: the folder, the checkpoint it came from (and its step) and the size of the model. */
  public record Exported(Path dir, String checkpoint, long step, int imageSize, int classes, long bytes) {}

  /**
   * The {@code export} command as a library call.
   *
   * @param checkpoint {@code latest}, {@code best}, a name or a prefix path
   * @param warn where warnings go (a checkpoint skipped as damaged), one line each
   */
  public static Exported export(Path checkpointDir, String checkpoint, Path output, Consumer<String> warn)
      throws IOException {
    CheckpointManager checkpoints = new CheckpointManager(checkpointDir, 1, warn);
    return export(checkpoints, checkpoints.resolve(checkpoint), output);
  }

  public static Exported export(CheckpointManager checkpoints, CheckpointMetadata meta, Path output) throws IOException {
    Path target = output.toAbsolutePath().normalize();
    if (Files.isDirectory(target) && !Files.isRegularFile(target.resolve("saved_model.pb")) && !isEmpty(target)) {
      throw new IllegalArgumentException("--output " + output + " exists and is not a SavedModel folder: choose an empty or new folder");
    }
    Files.createDirectories(target.getParent());
    // Written beside the target and renamed in, so a failed export never leaves half a model.
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
    try (Graph graph = new Graph()) {
      InferenceGraph g = InferenceGraph.build(graph, meta.modelConfig(), meta.classNames(), meta.minConfidence());
      try (Session session = Sessions.open(graph, SessionOptions.DEFAULT)) {
        checkpoints.restoreForInference(graph, session, meta, g.net.variables());
        Signature pixels = signature(Names.SERVING_DEFAULT, Names.IMAGES, g.images, g);
        Signature bytes = signature(Names.SERVE_IMAGE_BYTES, Names.IMAGE_BYTES, g.imageBytes, g);
        SavedModelBundle.exporter(tmp.toString())
            .withTags(Names.SERVE_TAG)
            .withSession(session)
            .withSignatures(pixels, bytes)
            .export();
      }
      Files.writeString(tmp.resolve("README.md"), readme(meta), StandardCharsets.UTF_8);
      verify(tmp);
      if (Files.exists(target)) {
        FileUtils.deleteDirectory(target.toFile());
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      FileUtils.deleteQuietly(tmp.toFile());
    }
    return new Exported(target, meta.name(), meta.step(), meta.imageSize(), meta.classNames().size(), FileUtils.sizeOfDirectory(target.toFile()));
  }

  /** Both signatures give the same outputs; only the way in differs. */
  private static Signature signature(String key, String inputName, org.tensorflow.Operand<?> input, InferenceGraph g) {
    return Signature.builder().key(key).methodName(PREDICT_METHOD)
        .input(inputName, input)
        .output(Names.PROBABILITIES, g.net.probabilities())
        .output(Names.CLASS_IDS, g.classIds)
        .output(Names.CLASS_NAMES, g.classNamesOut)
        .output(Names.ACCEPTED, g.accepted)
        .build();
  }

  /** Loads the written model and checks that both signatures are there and the labels come back. */
  private static void verify(Path dir) {
    try (Classifier c = Classifier.fromSavedModel(dir)) {
      if (c.classNames().isEmpty()) {
        throw new IllegalStateException("exported model has no class names");
      }
    }
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), Names.SERVE_TAG)) {
      for (String key : new String[] {Names.SERVING_DEFAULT, Names.SERVE_IMAGE_BYTES}) {
        if (!b.metaGraphDef().getSignatureDefMap().containsKey(key)) {
          throw new IllegalStateException("exported model lacks signature " + key);
        }
      }
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static String readme(CheckpointMetadata meta) {
    int s = meta.imageSize();
    return """
        # Flower ResNet SavedModel

        Exported from checkpoint `%s` (step %d). Tag `serve`. %d classes: %s.

        | signature | input | outputs |
        | --- | --- | --- |
        | `serving_default` | `images`: float32 `[-1,%d,%d,3]`, RGB values 0–255 | `probabilities` float32 `[-1,%d]`, `class_ids` int64 `[-1]`, `class_names` string `[-1]`, `accepted` bool `[-1]` |
        | `serve_image_bytes` | `image_bytes`: string `[-1]`, encoded JPEG/PNG/GIF/BMP files | same |

        The graph scales pixels and (for `serve_image_bytes`) decodes and resizes to %d×%d itself.
        The class list is also the constant tensor `all_class_names`.
        `accepted` is false where the top probability is below the constant `min_confidence` (%s),
        the threshold training chose on the validation split: treat those images as "unknown".

        TensorFlow Serving REST example:

            curl -d '{"signature_name":"serve_image_bytes","instances":[{"b64":"<base64 of a JPEG>"}]}' \\
                 http://localhost:8501/v1/models/flowers:predict
        """.formatted(meta.name(), meta.step(), meta.classNames().size(), String.join(", ", meta.classNames()),
        s, s, meta.classNames().size(), s, s,
        Double.isNaN(meta.minConfidence()) ? "NaN: this checkpoint has none, so all are accepted"
            : String.format(java.util.Locale.ROOT, "%.4f", meta.minConfidence()));
  }
}
