package flowers.serve;

import flowers.checkpoint.CheckpointException;
import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.data.DecodeException;
import flowers.data.ImageDecoder;
import flowers.model.ModelConfig;
import flowers.model.Names;
import flowers.tf.Bf16Check;
import flowers.tf.FrozenGraph;
import flowers.tf.Log;
import flowers.tf.PrecisionChoice;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import flowers.tf.Sessions;
import flowers.tf.Tensors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A trained model ready to classify images, loaded from a checkpoint or an exported SavedModel;
 * both give the same probabilities.
 *
 * <pre>{@code
 * try (Classifier c = Classifier.load(Path.of("export/flowers"))) {
 *   List<Prediction> top = c.classify(Path.of("rose.jpg"), 5);
 * }
 * }</pre>
 */
public final class Classifier implements AutoCloseable {

  /** The frozen network (see {@link FrozenGraph}) and its session, whichever the source. */
  private final Frozen frozen;
  private final Session session;
  private final int imageSize;
  private final List<String> classNames;
  private final ImageDecoder decoder;
  private final String source;
  private final double minConfidence;

  private Classifier(Frozen frozen, int imageSize, List<String> classNames, String source, double minConfidence) {
    this.frozen = frozen;
    this.session = frozen.session();
    this.imageSize = imageSize;
    this.classNames = List.copyOf(classNames);
    this.decoder = new ImageDecoder(imageSize);
    this.source = source;
    this.minConfidence = minConfidence;
  }

  /** A SavedModel folder, a checkpoint folder (its latest checkpoint) or a checkpoint prefix. */
  public static Classifier load(Path path) {
    if (Files.isRegularFile(path.resolve("saved_model.pb"))) {
      return fromSavedModel(path);
    }
    if (Files.isDirectory(path)) {
      CheckpointManager checkpoints = new CheckpointManager(path, 1, Log.WARN);
      return fromCheckpoint(checkpoints, checkpoints.resolve("latest"), SessionOptions.DEFAULT);
    }
    CheckpointManager checkpoints = new CheckpointManager(path.toAbsolutePath().getParent(), 1, Log.WARN);
    return fromCheckpoint(checkpoints, checkpoints.resolve(path.toString()), SessionOptions.DEFAULT);
  }

  /**
   * The checkpoint's weights restored, then frozen into constants (see {@link FrozenGraph}).
   *
   * @param options threads, precision and device; fp32 gives what the SavedModel computes
   */
  public static Classifier fromCheckpoint(CheckpointManager checkpoints, CheckpointMetadata meta,
      SessionOptions options) {
    return fromCheckpoint(checkpoints, meta, options, Log.WARN);
  }

  /**
   * @param log the one line that says whether bf16 was verified (only when bf16 or auto is asked for)
   * @throws flowers.tf.PrecisionChoice.PrecisionException bf16 asked for where it computes wrong results
   */
  public static Classifier fromCheckpoint(CheckpointManager checkpoints, CheckpointMetadata meta,
      SessionOptions options, Consumer<String> log) {
    ModelConfig model = meta.modelConfig();
    var opened = PrecisionChoice.open(options, ModelConfig.CONV1_FOUR_CHANNELS, attempt -> {
      Graph frozen;
      try (Graph graph = new Graph()) {
        InferenceGraph g = InferenceGraph.build(graph, model.withConv1FourChannels(attempt.rewrite()), meta.classNames(),
            meta.minConfidence());
        try (Session restored = Sessions.open(graph, options.withPrecision(Precision.FP32))) {
          checkpoints.restoreForInference(graph, restored, meta, g.net.variables());
          frozen = FrozenGraph.freeze(graph, restored, OUTPUTS);
        }
      }
      return Frozen.open(frozen, options.withPrecision(attempt.precision()));
    }, log);
    return new Classifier(opened.built(), model.imageSize(), meta.classNames(), checkpoints.prefix(meta),
        meta.minConfidence());
  }

  private static final List<String> OUTPUTS = List.of(Names.PROBABILITIES, Names.CLASS_IDS, Names.CLASS_NAMES,
      Names.ALL_CLASS_NAMES, Names.ACCEPTED, Names.MIN_CONFIDENCE);
  /** What a SavedModel exported before the "unknown" answer holds. */
  private static final List<String> OLD_OUTPUTS = OUTPUTS.subList(0, 4);

  /** A frozen graph with its session: what a classifier runs, and what the bf16 check probes. */
  private record Frozen(Graph graph, Session session) implements PrecisionChoice.Built {
    static Frozen open(Graph frozen, SessionOptions options) {
      try {
        return new Frozen(frozen, Sessions.open(frozen, options));
      } catch (RuntimeException e) {
        frozen.close();
        throw e;
      }
    }

    @Override
    public Bf16Check.Probe probe() {
      return new Bf16Check.Probe(graph.operation(Names.IMAGES).output(0), null,
          graph.operation(Names.LOGITS).output(0), Map.of());
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  public static Classifier fromSavedModel(Path dir) {
    return fromSavedModel(dir, SessionOptions.DEFAULT);
  }

  public static Classifier fromSavedModel(Path dir, SessionOptions options) {
    return fromSavedModel(dir, options, Log.WARN);
  }

  /** As {@link #fromCheckpoint(CheckpointManager, CheckpointMetadata, SessionOptions, Consumer)}. */
  public static Classifier fromSavedModel(Path dir, SessionOptions options, Consumer<String> log) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new CheckpointException(dir + " is not a SavedModel folder (no saved_model.pb): pass the folder `export` wrote");
    }
    options.device().requireAvailable();
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(Names.SERVE_TAG)
          .withConfigProto(options.withPrecision(Precision.FP32).config()).load();
    } catch (RuntimeException e) {
      throw new CheckpointException("cannot load the SavedModel in " + dir + ": " + CheckpointManager.reason(e), e);
    }
    try (bundle) {
      List<String> names = new ArrayList<>();
      int size;
      double threshold = Double.NaN;
      boolean hasThreshold = bundle.graph().operation(Names.MIN_CONFIDENCE) != null;
      try {
        if (hasThreshold) {
          try (Result r = bundle.session().runner().fetch(Names.MIN_CONFIDENCE).run()) {
            threshold = ((TFloat32) r.get(0)).getFloat();
          }
        }
        try (Result r = bundle.session().runner().fetch(Names.ALL_CLASS_NAMES).run()) {
          NdArray<String> all = ((TString) r.get(0));
          all.scalars().forEach(s -> names.add(s.getObject()));
        }
        size = (int) bundle.graph().operation(Names.IMAGES).output(0).shape().get(1);
      } catch (RuntimeException e) {
        throw notOurs(dir, e);
      }
      // The exported graph is what it is: no rewrite, so bf16 as exported or fp32.
      var opened = PrecisionChoice.open(options, null, attempt -> {
        Graph frozen;
        try {
          frozen = FrozenGraph.freeze(bundle.graph(), bundle.session(), hasThreshold ? OUTPUTS : OLD_OUTPUTS);
        } catch (RuntimeException e) {
          throw notOurs(dir, e);
        }
        return Frozen.open(frozen, options.withPrecision(attempt.precision()));
      }, log);
      return new Classifier(opened.built(), size, names, dir.toString(), threshold);
    }
  }

  private static CheckpointException notOurs(Path dir, RuntimeException e) {
    return new CheckpointException(dir + " is a SavedModel but not one of this project's (" + CheckpointManager.reason(e) + ")", e);
  }

  public int imageSize() {
    return imageSize;
  }

  public List<String> classNames() {
    return classNames;
  }

  public String source() {
    return source;
  }

  /**
   * The automatic "unknown" threshold on the top probability: the checkpoint's {@code
   * min_confidence} metric, or a SavedModel's {@code min_confidence} constant; NaN where the model
   * has none (trained or exported before it existed, or no validation image was right).
   */
  public double minConfidence() {
    return minConfidence;
  }

  /**
   * The decision the SavedModel's {@code accepted} output makes, negated: compared in float32 as
   * the graph does, so both always agree. NaN means no threshold: never unknown.
   */
  public static boolean isUnknown(float topProbability, double minConfidence) {
    return topProbability < (float) minConfidence;
  }

  /** Decodes a file the way training does: {@code [S,S,3]} RGB 0–255. */
  public float[] decode(Path file) throws IOException, DecodeException {
    return decoder.decode(Files.readAllBytes(file));
  }

  public List<Prediction> classify(Path file, int topK) throws IOException, DecodeException {
    return top(probabilities(decode(file), 1), 0, topK);
  }

  public List<Prediction> classify(byte[] encoded, int topK) throws DecodeException {
    return top(probabilities(decoder.decode(encoded), 1), 0, topK);
  }

  /** Goes through PNG so that a {@code BufferedImage} meets exactly the decoder training used. */
  public List<Prediction> classify(BufferedImage image, int topK) throws DecodeException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return classify(png.toByteArray(), topK);
  }

  /** Probabilities {@code [count, C]} for {@code count} decoded images packed in {@code pixels}. */
  public float[] probabilities(float[] pixels, int count) {
    try (TFloat32 x = Tensors.images(pixels, count, imageSize);
        Result r = session.runner().feed(Names.IMAGES, x).fetch(Names.PROBABILITIES).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  /**
   * Logits {@code [count, C]}: what the probabilities are the softmax of, before any calibration
   * temperature. Calibration and its error measure start from these.
   */
  public float[] logits(float[] pixels, int count) {
    try (TFloat32 x = Tensors.images(pixels, count, imageSize);
        Result r = session.runner().feed(Names.IMAGES, x).fetch(Names.LOGITS).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  /** The {@code topK} most probable classes of example {@code row} of a probabilities array. */
  public List<Prediction> top(float[] probabilities, int row, int topK) {
    int c = classNames.size();
    List<Prediction> all = new ArrayList<>(c);
    for (int j = 0; j < c; j++) {
      all.add(new Prediction(j, classNames.get(j), probabilities[row * c + j]));
    }
    all.sort(Comparator.comparingDouble(Prediction::probability).reversed().thenComparingInt(Prediction::classId));
    return List.copyOf(all.subList(0, Math.min(Math.max(1, topK), c)));
  }

  Session session() {
    return session;
  }

  @Override
  public void close() {
    decoder.close();
    frozen.close();
  }

}
