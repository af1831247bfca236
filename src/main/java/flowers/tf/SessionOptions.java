package flowers.tf;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The user's thread, precision and device choices, turned into one session configuration.
 *
 * @param threads TF intra-op threads; 0 lets TF choose; 1 also makes op scheduling sequential,
 *     which reproducibility needs
 */
public record SessionOptions(int threads, Precision precision, Device device) {

  /** TF's thread choice, float32, a GPU if TensorFlow sees one. */
  public static final SessionOptions DEFAULT = new SessionOptions(0, Precision.FP32, Device.AUTO);

  public SessionOptions {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
  }

  public static SessionOptions of(int threads, Precision precision) {
    return new SessionOptions(threads, precision, Device.AUTO);
  }

  public SessionOptions withPrecision(Precision p) {
    return new SessionOptions(threads, p, device);
  }

  public ConfigProto config() {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads);
      config.setInterOpParallelismThreads(threads == 1 ? 1 : 2);
    }
    if (precision == Precision.BF16) {
      config.setGraphOptions(
          GraphOptions.newBuilder()
              .setRewriteOptions(
                  RewriterConfig.newBuilder()
                      .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
    }
    device.configure(config);
    return config.build();
  }
}
