package flowers.data;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Encoded image file → {@code [S,S,3]} float RGB in 0–255, with TensorFlow's own decoders.
 *
 * <p>{@link #decodeAndResize} is the one definition of this preprocessing: the decoder threads
 * run it in a small graph of their own, and the exported SavedModel runs it for
 * {@code serve_image_bytes}. The network scales 0–255 to [-1, 1] itself.
 *
 * <p>Not thread-safe: give each thread its own decoder.
 */
public final class ImageDecoder implements AutoCloseable {

  private final int size;
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TString> input;
  private final Operand<TFloat32> output;

  public ImageDecoder(int size) {
    this.size = size;
    Ops tf = Ops.create(graph);
    input = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    output = decodeAndResize(tf, input, size);
    // One thread per decoder: parallelism comes from running several decoders. No GPU: decoding
    // runs on the CPU, and a session that saw every GPU would clash with `--device gpu:N`.
    session = new Session(graph, ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).putDeviceCount("GPU", 0).build());
  }

  /**
   * JPEG, PNG (8 or 16 bit, alpha dropped), GIF (first frame) or BMP bytes, grayscale or colour,
   * to float32 {@code [size,size,3]} RGB 0–255 by bilinear resize (half-pixel centres). The format
   * is read from the content, so a PNG named {@code .jpg} decodes.
   */
  public static Operand<TFloat32> decodeAndResize(Ops tf, Operand<TString> encoded, int size) {
    var pixels = tf.image.decodeImage(encoded, new DecodeImage.Options[] {
        DecodeImage.channels(3L), DecodeImage.expandAnimations(false)});
    Operand<TFloat32> resized = tf.image.resizeBilinear(
        tf.expandDims(pixels, tf.constant(0)), tf.constant(new int[] {size, size}),
        ResizeBilinear.halfPixelCenters(true));
    return tf.reshape(resized, tf.constant(new long[] {size, size, 3}));
  }

  public int size() {
    return size;
  }

  public float[] decode(byte[] encoded) throws DecodeException {
    float[] out = new float[size * size * 3];
    decodeInto(encoded, out, 0);
    return out;
  }

  /**
   * Decodes into {@code dst[offset … offset+S*S*3)}, turned upright per the JPEG's EXIF orientation
   * (TF ignores the tag; see {@link Orientation}). The exported {@code serve_image_bytes} signature
   * does not turn images: clients send upright pixels there.
   */
  public void decodeInto(byte[] encoded, float[] dst, int offset) throws DecodeException {
    if (encoded.length == 0) {
      throw new DecodeException("empty file");
    }
    // Checked before TF so that a WebP or HEIC photo gets a reason the user can act on.
    ImageFormat format = ImageFormat.sniff(encoded);
    if (!format.decodable) {
      throw new DecodeException(format.unsupportedReason());
    }
    try (TString bytes = TString.tensorOfBytes(org.tensorflow.ndarray.NdArrays.scalarOfObject(encoded));
        Result r = session.runner().feed(input, bytes).fetch(output).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(dst, false, false).offset(offset).narrow(size * size * 3));
    } catch (RuntimeException e) {
      // The header said JPEG/PNG/GIF/BMP, so the body is what is wrong; TF's words follow.
      throw new DecodeException("truncated or corrupt " + format + " (" + reason(e) + ")");
    }
    Orientation.apply(Orientation.ofJpeg(encoded), dst, offset, size);
  }

  /** TF's message without the graph node decoration. */
  static String reason(RuntimeException e) {
    String m = flowers.tf.Messages.firstLine(e);
    m = m.replaceAll("\\s*\\[\\[.*", "").trim();
    if (m.contains("Unknown image file format")) {
      return "not a JPEG, PNG, GIF or BMP image";
    }
    return m.isEmpty() ? "cannot decode" : m;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
