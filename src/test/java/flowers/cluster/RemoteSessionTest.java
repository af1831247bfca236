package flowers.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.cli.Main;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * {@link RemoteSession} reaches inside TF Java 1.1.0; if an upgrade moves what it reaches, this
 * fails here rather than in a cluster. The server runs in a child JVM: a started server cannot be
 * stopped and would outlive the test.
 */
class RemoteSessionTest {
  @TempDir Path dir;

  @Test
  void aSessionOnAnotherProcessRunsOpsPlacedThere() throws Exception {
    int ps;
    int chief;
    try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
      ps = a.getLocalPort();
      chief = b.getLocalPort();
    }
    String tfConfig = "{\"cluster\":{\"ps\":[\"localhost:" + ps + "\"],\"worker\":[\"localhost:" + chief
        + "\"]},\"task\":{\"type\":\"ps\",\"index\":0}}";
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "train", "--data-dir", dir.toString(),
        "--checkpoint-dir", dir.resolve("ck").toString(), "--cluster-timeout", "60")
        .redirectErrorStream(true).redirectOutput(dir.resolve("ps.log").toFile());
    pb.environment().put(TfConfig.ENV, tfConfig);
    Process server = pb.start();
    try {
      TfConfig cluster = TfConfig.parse(tfConfig);
      Reachability.awaitAll(cluster, List.of(cluster.task()), Duration.ofSeconds(60));
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g).withDevice(TaskQueues.cpu(cluster.task()));
        var sum = tf.math.add(tf.constant(2f), tf.constant(3f));
        ConfigProto onlyThePs = ConfigProto.newBuilder().addDeviceFilters("/job:ps/task:0").build();
        try (Session s = RemoteSession.open(g, "grpc://localhost:" + ps, onlyThePs);
            Result r = s.runner().fetch(sum).run()) {
          assertEquals(5f, ((TFloat32) r.get(0)).getFloat());
        }
        // The same op in a session of this process has no /job:ps device to run on.
        try (Session local = new Session(g)) {
          RuntimeException e = assertThrows(RuntimeException.class, () -> local.runner().fetch(sum).run().close());
          assertTrue(e.getMessage().contains("/job:ps"), e.getMessage());
        }
      }
    } finally {
      server.destroyForcibly();
    }
  }
}
