package flowers.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a task's server accepts connections. TensorFlow's master waits for every task without a
 * timeout and a step on a dead peer may wait too; a plain TCP connect bounds both.
 */
public final class Reachability {
  private Reachability() {}

  public static boolean isUp(String address) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(address.substring(colon + 1));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The tasks among {@code tasks} that are down now. */
  public static List<TfConfig.Task> down(TfConfig config, List<TfConfig.Task> tasks) {
    List<TfConfig.Task> down = new ArrayList<>();
    for (TfConfig.Task t : tasks) {
      if (!isUp(config.address(t))) {
        down.add(t);
      }
    }
    return down;
  }

  /**
   * Waits until every task accepts connections.
   *
   * @throws ClusterException naming the first task still down after {@code timeout}
   */
  public static void awaitAll(TfConfig config, List<TfConfig.Task> tasks, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<TfConfig.Task> down = down(config, tasks);
    while (!down.isEmpty()) {
      if (System.nanoTime() > deadline) {
        TfConfig.Task t = down.get(0);
        throw new ClusterException(t + " (" + config.address(t) + ") is not up after " + timeout.toSeconds()
            + " s (--cluster-timeout): start every task of TF_CONFIG, or check its address");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterException("interrupted while waiting for the cluster");
      }
      down = down(config, down);
    }
  }
}
