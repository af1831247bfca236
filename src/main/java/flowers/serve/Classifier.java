package flowers.serve;

import flowers.checkpoint.CheckpointException;
import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.data.DecodeException;
import flowers.data.ImageDecoder;
import flowers.model.ModelConfig;
import flowers.model.Names;
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

  private final Graph graph; // owned when built here from a checkpoint; null for a SavedModel
  private final SavedModelBundle bundle; // owned when loaded from a SavedModel; null otherwise
  private final Session session;
  private final int imageSize;
  private final List<String> classNames;
  private final ImageDecoder decoder;
  private final String source;

  private Classifier(Graph graph, SavedModelBundle bundle, Session session, int imageSize,
      List<String> classNames, String source) {
    this.graph = graph;
    this.bundle = bundle;
    this.session = session;
    this.imageSize = imageSize;
    this.classNames = List.copyOf(classNames);
    this.decoder = new ImageDecoder(imageSize);
    this.source = source;
  }

  /** A SavedModel folder, a checkpoint folder (its latest checkpoint) or a checkpoint prefix. */
  public static Classifier load(Path path) {
    if (Files.isRegularFile(path.resolve("saved_model.pb"))) {
      return fromSavedModel(path);
    }
    if (Files.isDirectory(path)) {
      CheckpointManager checkpoints = new CheckpointManager(path, 1, System.err::println);
      return fromCheckpoint(checkpoints, checkpoints.resolve("latest"), SessionOptions.DEFAULT);
    }
    CheckpointManager checkpoints = new CheckpointManager(path.toAbsolutePath().getParent(), 1, System.err::println);
    return fromCheckpoint(checkpoints, checkpoints.resolve(path.toString()), SessionOptions.DEFAULT);
  }

  /** @param session threads, precision and device; fp32 is what the SavedModel computes */
  public static Classifier fromCheckpoint(CheckpointManager checkpoints, CheckpointMetadata meta,
      SessionOptions options) {
    ModelConfig model = meta.modelConfig();
    Graph graph = new Graph();
    try {
      InferenceGraph.build(graph, model, meta.classNames());
      Session session = Sessions.open(graph, options);
      try {
        checkpoints.restore(session, meta);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      return new Classifier(graph, null, session, model.imageSize(), meta.classNames(),
          checkpoints.prefix(meta));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public static Classifier fromSavedModel(Path dir) {
    return fromSavedModel(dir, SessionOptions.DEFAULT);
  }

  public static Classifier fromSavedModel(Path dir, SessionOptions options) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new CheckpointException(dir + " is not a SavedModel folder (no saved_model.pb): pass the folder `export` wrote");
    }
    options.device().requireAvailable();
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(Names.SERVE_TAG).withConfigProto(options.config()).load();
    } catch (RuntimeException e) {
      throw new CheckpointException("cannot load the SavedModel in " + dir + ": " + CheckpointManager.reason(e), e);
    }
    try {
      List<String> names = new ArrayList<>();
      try (Result r = bundle.session().runner().fetch(Names.ALL_CLASS_NAMES).run()) {
        NdArray<String> all = ((TString) r.get(0));
        all.scalars().forEach(s -> names.add(s.getObject()));
      }
      int size = (int) bundle.graph().operation(Names.IMAGES).output(0).shape().get(1);
      return new Classifier(null, bundle, bundle.session(), size, names, dir.toString());
    } catch (RuntimeException e) {
      bundle.close();
      throw new CheckpointException(dir + " is a SavedModel but not one of this project's (" + CheckpointManager.reason(e) + ")", e);
    }
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
    if (bundle != null) {
      bundle.close();
    } else {
      session.close();
      graph.close();
    }
  }

}
