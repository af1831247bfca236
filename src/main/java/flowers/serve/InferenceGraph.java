package flowers.serve;

import flowers.data.ImageDecoder;
import flowers.model.Endpoints;
import flowers.model.ModelConfig;
import flowers.model.Names;
import flowers.model.ResNet;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * The network for inference: no loss, gradients or optimizer; the same builder and variable names
 * as training, so a training checkpoint restores into it.
 *
 * <p>Two ways in. {@code images} takes float pixels 0–255; it is a placeholder <em>with a
 * default</em>, and the default is {@code image_bytes} decoded and resized inside the graph. Feeding
 * {@code images} prunes the decoding away; feeding {@code image_bytes} runs it. One copy of the
 * network thus serves both SavedModel signatures.
 */
public final class InferenceGraph {

  public final ModelConfig model;
  public final List<String> classNames;
  public final Placeholder<TString> imageBytes;
  public final Operand<TFloat32> images;
  public final Endpoints net;
  public final Operand<TInt64> classIds;
  public final Operand<TString> classNamesOut;
  public final Operand<TBool> accepted;

  private InferenceGraph(Graph graph, ModelConfig model, List<String> classNames, double minConfidence) {
    if (classNames.size() != model.numClasses()) {
      throw new IllegalArgumentException(classNames.size() + " class names for " + model.numClasses() + " classes");
    }
    this.model = model;
    this.classNames = List.copyOf(classNames);
    Ops tf = Ops.create(graph);
    int s = model.imageSize();
    imageBytes = tf.withName(Names.IMAGE_BYTES).placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> decoded = decodeAll(graph, tf, imageBytes, s);
    images = tf.withName(Names.IMAGES).placeholderWithDefault(decoded, Shape.of(-1, s, s, 3));
    net = ResNet.build(tf, model, images);
    classIds = tf.withName(Names.CLASS_IDS).math.argMax(net.probabilities(), tf.constant(1), TInt64.class);
    Operand<TString> allNames =
        tf.withName(Names.ALL_CLASS_NAMES).constant(NdArrays.vectorOfObjects(classNames.toArray(String[]::new)));
    classNamesOut = tf.withName(Names.CLASS_NAMES).gather(allNames, classIds, tf.constant(0));
    // not(max < t) rather than max >= t: with no threshold (NaN) every image is accepted, and the
    // NaN constant still tells a reader of the graph that there is none.
    Operand<TFloat32> threshold = tf.withName(Names.MIN_CONFIDENCE).constant((float) minConfidence);
    Operand<TFloat32> top = tf.max(net.probabilities(), tf.constant(1));
    accepted = tf.withName(Names.ACCEPTED).math.logicalNot(tf.math.less(top, threshold));
  }

  /** A graph with no "unknown" threshold: {@code accepted} is all true. */
  public static InferenceGraph build(Graph graph, ModelConfig model, List<String> classNames) {
    return build(graph, model, classNames, Double.NaN);
  }

  /**
   * @param minConfidence the top probability below which {@code accepted} is false; NaN for none
   */
  public static InferenceGraph build(Graph graph, ModelConfig model, List<String> classNames, double minConfidence) {
    return new InferenceGraph(graph, model, classNames, minConfidence);
  }

  /**
   * Decodes every string of a {@code [-1]} batch into {@code [-1,S,S,3]}. TF has no batched image
   * decoder, so a while loop decodes one file per iteration and appends it.
   */
  private static Operand<TFloat32> decodeAll(Graph graph, Ops tf, Operand<TString> bytes, int size) {
    Ops decode = tf.withSubScope("decode_images");
    Operand<TInt32> start = decode.constant(0);
    Operand<TFloat32> empty = decode.fill(decode.constant(new int[] {0, size, size, 3}), decode.constant(0f));
    Output<?>[] loop =
        graph.whileLoop(
            new Output<?>[] {start.asOutput(), bytes.asOutput(), empty.asOutput()},
            (g, in, out) -> {
              Ops c = Ops.create(g);
              @SuppressWarnings("unchecked")
              Operand<TString> files = (Output<TString>) in[1];
              out[0] = c.math.less((Output<TInt32>) in[0], c.squeeze(c.shape(files, TInt32.class))).asOutput();
            },
            (g, in, out) -> {
              Ops b = Ops.create(g);
              @SuppressWarnings("unchecked")
              Output<TInt32> i = (Output<TInt32>) in[0];
              @SuppressWarnings("unchecked")
              Output<TString> files = (Output<TString>) in[1];
              @SuppressWarnings("unchecked")
              Output<TFloat32> acc = (Output<TFloat32>) in[2];
              Operand<TFloat32> one = ImageDecoder.decodeAndResize(b, b.gather(files, i, b.constant(0)), size);
              Operand<TFloat32> batch = b.expandDims(one, b.constant(0));
              out[0] = b.math.add(i, b.constant(1)).asOutput();
              out[1] = b.identity(files).asOutput();
              out[2] = b.concat(List.of(acc, batch), b.constant(0)).asOutput();
            },
            "decode_images_loop");
    @SuppressWarnings("unchecked")
    Output<TFloat32> result = (Output<TFloat32>) loop[2];
    return decode.ensureShape(result, Shape.of(-1, size, size, 3));
  }
}
