package flowers.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Encoded image bytes → {@link Fingerprint}: content hash, header size, the dHash of a 9×8
 * thumbnail and a 16×16 {@link Thumbnail}, both from one decode by TensorFlow, the decoder
 * training uses, so a file fails here exactly when it would fail in training, with the same reason.
 *
 * <p>A JPEG is decoded at 1/2, 1/4 or 1/8 scale where it keeps at least {@link #MIN_SIDE} pixels
 * on its short side (libjpeg's DCT scaling skips most of the inverse transform): about 0.35–0.41
 * ms a 224 px image with the hash and thumbnail, against 0.60–0.66 ms decoding it in full
 * ({@code FingerprintCost}), and a 9×8 thumbnail loses nothing by it: each synthetic flower JPEG
 * and its PNG copy, decoded at full size, differ by 0 bits in the median, 3–4 at the 99th
 * percentile ({@code NearDuplicateBound}).
 * Not thread-safe: one per thread.
 */
public final class Fingerprinter implements AutoCloseable {

  /** Short side a scaled JPEG decode keeps at least. */
  static final int MIN_SIDE = 32;
  private static final long[] RATIOS = {1, 2, 4, 8};

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TString> input;
  private final Placeholder<TInt32> thumbSize;
  private final Placeholder<TInt32> fineSize;
  private final Operand<TFloat32>[] jpegThumb;
  private final Operand<TFloat32>[] jpegFine;
  private final Operand<TFloat32> anyThumb;
  private final Operand<TFloat32> anyFine;
  private final Operand<TInt32> anyShape;
  private final MessageDigest sha;

  /** Whether JPEGs decode at a reduced scale (off only to measure what it saves). */
  private final boolean scaledJpeg;

  public Fingerprinter() {
    this(true);
  }

  @SuppressWarnings("unchecked")
  Fingerprinter(boolean scaledJpeg) {
    this.scaledJpeg = scaledJpeg;
    Ops tf = Ops.create(graph);
    input = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    thumbSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    fineSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    jpegThumb = new Operand[RATIOS.length];
    jpegFine = new Operand[RATIOS.length];
    for (int i = 0; i < RATIOS.length; i++) {
      var pixels = tf.image.decodeJpeg(input, DecodeJpeg.channels(3L), DecodeJpeg.ratio(RATIOS[i]));
      jpegThumb[i] = thumb(tf, pixels, thumbSize);
      jpegFine[i] = thumb(tf, pixels, fineSize);
    }
    var any = tf.image.decodeImage(input, new DecodeImage.Options[] {
        DecodeImage.channels(3L), DecodeImage.expandAnimations(false)});
    anyThumb = thumb(tf, any, thumbSize);
    anyFine = thumb(tf, any, fineSize);
    anyShape = tf.shape(any);
    // TF's default threads, unlike the loader's one-thread decoders: this is the first session of a
    // train or evaluate process, and the first session's thread settings stick for the process.
    // With one thread here, training in the same process ran at 21 instead of 39 img/s (224 px, bf16).
    session = new Session(graph, ConfigProto.newBuilder().putDeviceCount("GPU", 0).build());
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Area-averaged (every pixel counts, unlike bilinear) to the fed size, then greyscale. */
  private static Operand<TFloat32> thumb(Ops tf, Operand<TUint8> pixels, Operand<TInt32> size) {
    var small = tf.image.resizeArea(tf.expandDims(pixels, tf.constant(0)), size);
    return tf.reduceSum(tf.math.mul(small, tf.constant(new float[] {0.299f, 0.587f, 0.114f})), tf.constant(3));
  }

  public Fingerprint of(byte[] bytes) {
    String hash = HexFormat.of().formatHex(sha.digest(bytes));
    if (bytes.length == 0) {
      return Fingerprint.failed(hash, "empty file");
    }
    ImageFormat format = ImageFormat.sniff(bytes);
    if (!format.decodable) {
      return Fingerprint.failed(hash, format.unsupportedReason());
    }
    Thumbnails t;
    try {
      t = thumbnails(bytes, format, Thumbnail.SIDE, Thumbnail.SIDE);
    } catch (RuntimeException e) {
      return Fingerprint.failed(hash, "truncated or corrupt " + format + " (" + ImageDecoder.reason(e) + ")");
    }
    return new Fingerprint(hash, PerceptualHash.of(t.coarse()), PerceptualHash.edges(t.coarse()),
        Thumbnail.encode(t.fine()), t.size().width(), t.size().height(), null);
  }

  /**
   * The upright greyscale thumbnail of {@code bytes} at {@code w}×{@code h} (measuring tools try
   * other sizes than the fingerprint's); null where the file does not decode.
   */
  public float[] thumbnail(byte[] bytes, int w, int h) {
    ImageFormat format = ImageFormat.sniff(bytes);
    try {
      return format.decodable && bytes.length > 0 ? thumbnails(bytes, format, w, h).fine() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Upright thumbnails for the dHash (9×8) and of {@code fineW}×{@code fineH}, and the upright size. */
  private record Thumbnails(float[] coarse, float[] fine, ImageSize size) {}

  private Thumbnails thumbnails(byte[] bytes, ImageFormat format, int fineW, int fineH) {
    int orientation = Orientation.ofJpeg(bytes);
    boolean turned = orientation >= 5 && orientation <= 8;
    ImageSize stored = ImageSize.read(bytes);
    int ratio = format == ImageFormat.JPEG && stored != null && scaledJpeg ? ratio(stored) : 0;
    boolean jpeg = format == ImageFormat.JPEG && stored != null;
    // A picture turned a quarter is stored with its thumbnails' width and height swapped.
    int tw = turned ? PerceptualHash.HEIGHT : PerceptualHash.WIDTH;
    int th = turned ? PerceptualHash.WIDTH : PerceptualHash.HEIGHT;
    int fw = turned ? fineH : fineW;
    int fh = turned ? fineW : fineH;
    float[] coarse = new float[tw * th];
    float[] fine = new float[fw * fh];
    try (TString b = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes));
        TInt32 size = TInt32.vectorOf(th, tw);
        TInt32 fineSz = TInt32.vectorOf(fh, fw)) {
      Session.Runner runner = session.runner().feed(input, b).feed(thumbSize, size).feed(fineSize, fineSz)
          .fetch(jpeg ? jpegThumb[ratio] : anyThumb).fetch(jpeg ? jpegFine[ratio] : anyFine);
      if (!jpeg) {
        runner.fetch(anyShape);
      }
      try (Result r = runner.run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(coarse, false, false));
        ((TFloat32) r.get(1)).copyTo(DataBuffers.of(fine, false, false));
        if (!jpeg) {
          TInt32 shape = (TInt32) r.get(2);
          stored = new ImageSize(shape.getInt(1), shape.getInt(0));
        }
      }
    }
    return new Thumbnails(PerceptualHash.upright(coarse, orientation, PerceptualHash.WIDTH, PerceptualHash.HEIGHT),
        PerceptualHash.upright(fine, orientation, fineW, fineH), stored.upright(orientation));
  }

  /** Index into {@link #RATIOS}: the largest scale-down that keeps {@link #MIN_SIDE}. */
  private static int ratio(ImageSize s) {
    int side = Math.min(s.width(), s.height());
    int i = RATIOS.length - 1;
    while (i > 0 && side / RATIOS[i] < MIN_SIDE) {
      i--;
    }
    return i;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
