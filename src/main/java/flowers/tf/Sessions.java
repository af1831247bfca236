package flowers.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** Every session of the project opens here, so that thread, precision and device choices apply alike. */
public final class Sessions {
  private Sessions() {}

  /** @throws IllegalStateException when {@code options} insist on a GPU TensorFlow does not see */
  public static Session open(Graph graph, SessionOptions options) {
    return open(graph, options.config(), options.device());
  }

  /** A session with a configuration adjusted from {@link SessionOptions#config()}. */
  public static Session open(Graph graph, ConfigProto config, Device device) {
    device.requireAvailable();
    return new Session(graph, config);
  }
}
