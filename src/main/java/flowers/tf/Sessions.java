package flowers.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** One place that turns the user's thread and precision choices into a session configuration. */
public final class Sessions {
  private Sessions() {}

  /**
   * @param threads 0 lets TF choose; 1 also makes op scheduling sequential, which reproducibility needs
   */
  public static ConfigProto config(int threads, Precision precision) {
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
    return config.build();
  }

  public static Session open(Graph graph, int threads, Precision precision) {
    return new Session(graph, config(threads, precision));
  }
}
