package flowers.train;

import flowers.cluster.ClusterServer;
import flowers.cluster.Reachability;
import flowers.cluster.RemoteSession;
import flowers.cluster.TfConfig;
import org.tensorflow.proto.ConfigProto;

import flowers.model.ModelConfig;
import flowers.tf.Bf16Check;
import flowers.tf.PrecisionChoice;
import flowers.tf.SessionOptions;
import flowers.tf.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * A training graph and its session with the weights in place, in the precision this machine
 * computes right (see {@link PrecisionChoice}): what {@code train} and {@code bench} step on.
 */
public final class TrainingSession implements PrecisionChoice.Built {

  private final Graph graph;
  private final TrainingGraph t;
  private final Session session;

  private final boolean remote;

  private TrainingSession(Graph graph, TrainingGraph t, Session session) {
    this(graph, t, session, false);
  }

  private TrainingSession(Graph graph, TrainingGraph t, Session session, boolean remote) {
    this.graph = graph;
    this.t = t;
    this.session = session;
    this.remote = remote;
  }

  /**
   * @param options the precision asked for, threads and device
   * @param weights puts the weights in a new session: {@link Session#initialize()} or a restore
   * @param log the one line that says which precision the check chose
   */
  public static PrecisionChoice.Opened<TrainingSession> open(ModelConfig model, TrainingGraph.Options graphOptions,
      SessionOptions options, Consumer<Session> weights, Consumer<String> log) {
    return PrecisionChoice.open(options, ModelConfig.CONV1_FOUR_CHANNELS, attempt -> {
      Graph graph = new Graph();
      try {
        TrainingGraph t = TrainingGraph.build(graph, model.withConv1FourChannels(attempt.rewrite()), graphOptions);
        Session session = Sessions.open(graph, options.withPrecision(attempt.precision()));
        try {
          weights.accept(session);
        } catch (RuntimeException e) {
          session.close();
          throw e;
        }
        return new TrainingSession(graph, t, session);
      } catch (RuntimeException e) {
        graph.close();
        throw e;
      }
    }, log);
  }

  /**
   * The chief's session on the cluster: its server started, every other task up, the towers and
   * the variables placed, the weights in place. Always fp32: the bf16 check compares one process.
   *
   * @throws flowers.cluster.ClusterException when a task is not up within {@code timeout}
   */
  public static TrainingSession openCluster(ModelConfig model, TrainingGraph.Options graphOptions,
      SessionOptions options, TfConfig cluster, java.time.Duration timeout, Consumer<Session> weights) {
    SessionOptions fp32 = options.withPrecision(flowers.tf.Precision.FP32);
    ClusterServer.start(cluster, fp32.config());
    Reachability.awaitAll(cluster, cluster.others(), timeout);
    Graph graph = new Graph();
    try {
      TrainingGraph t = ReplicatedTrainingGraph.build(graph, model, graphOptions, cluster);
      ConfigProto config = fp32.config().toBuilder().setOperationTimeoutInMs(timeout.toMillis()).build();
      Session session = RemoteSession.open(graph, "grpc://" + cluster.address(cluster.chief()), config);
      try {
        weights.accept(session);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      return new TrainingSession(graph, t, session, true);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public TrainingGraph t() {
    return t;
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public Session session() {
    return session;
  }

  /** Logits and every variable's gradient on the probe batch. */
  @Override
  public Bf16Check.Probe probe() {
    Map<String, Output<TFloat32>> gradients = new LinkedHashMap<>();
    for (int i = 0; i < t.net.variables().size(); i++) {
      gradients.put(t.net.variables().get(i).op().name(), t.gradients.get(i));
    }
    return new Bf16Check.Probe(t.images.asOutput(), t.labels.asOutput(), t.net.logits().asOutput(), gradients);
  }

  @Override
  public void close() {
    if (remote) {
      // Closing a session on the cluster asks every task to release its part, and waits for ever on
      // a task that died; the graph waits for the session. The process ends right after a cluster
      // run (its server cannot stop), which frees both.
      return;
    }
    session.close();
    graph.close();
  }
}
