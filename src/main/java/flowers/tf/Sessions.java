package flowers.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Every session of the project opens here, so that thread, precision and device choices apply alike. */
public final class Sessions {
  private Sessions() {}

  /** @throws IllegalStateException when {@code options} insist on a GPU TensorFlow does not see */
  public static Session open(Graph graph, SessionOptions options) {
    options.device().requireAvailable();
    return new Session(graph, options.config());
  }
}
