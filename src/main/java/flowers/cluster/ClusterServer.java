package flowers.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tensorflow.Server;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * This task's TensorFlow gRPC server: the master and worker services the other tasks talk to.
 *
 * <p>A started server cannot be stopped in this TensorFlow ({@code GrpcServer::Stop} is
 * unimplemented) and deleting it aborts the process: it is never closed, and a task ends by
 * ending its process. TensorFlow binds it to every interface ({@code 0.0.0.0:port}, not the host
 * in {@code TF_CONFIG}); the traffic is unauthenticated plaintext, so a cluster belongs inside a
 * private network (README, "Training on several machines").
 */
public final class ClusterServer {
  private ClusterServer() {}

  /**
   * Every server this process started. A {@code Server} that is garbage-collected deletes its
   * native server, which aborts the process; held here, they live until the process ends.
   */
  private static final List<Server> RUNNING = new CopyOnWriteArrayList<>();

  /** Starts the server of {@code config.task()}; it lives as long as the process. */
  public static Server start(TfConfig config, ConfigProto sessionDefaults) {
    ServerDef def = ServerDef.newBuilder()
        .setCluster(clusterDef(config))
        .setJobName(config.task().job())
        .setTaskIndex(config.task().index())
        .setProtocol("grpc")
        .setDefaultSessionConfig(sessionDefaults)
        .build();
    Server server;
    try {
      server = new Server(def);
      server.start();
      RUNNING.add(server);
    } catch (RuntimeException e) {
      throw new ClusterException("cannot start the server of " + config.task() + " on "
          + config.address(config.task()) + ": " + flowers.tf.Messages.firstLine(e), e);
    }
    return server;
  }

  static ClusterDef clusterDef(TfConfig config) {
    ClusterDef.Builder cluster = ClusterDef.newBuilder();
    config.cluster().forEach((job, addresses) -> {
      JobDef.Builder j = JobDef.newBuilder().setName(job);
      for (int i = 0; i < addresses.size(); i++) {
        j.putTasks(i, addresses.get(i));
      }
      cluster.addJob(j);
    });
    return cluster.build();
  }
}
