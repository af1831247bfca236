package flowers.train;

import flowers.cluster.TaskQueues;
import flowers.cluster.TfConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.io.QueueClose;
import org.tensorflow.types.TString;

/** The chief's side of {@link TaskQueues}: tells every other task the plan, then that the run is over. */
final class ClusterControl {
  private final Placeholder<TString> message;
  private final List<Op> sends = new ArrayList<>();
  private final List<Op> closeInputs = new ArrayList<>();

  ClusterControl(Graph graph, TfConfig cluster) {
    Ops tf = Ops.create(graph).withSubScope("cluster_control");
    message = tf.withDevice(TaskQueues.device(cluster.chief())).placeholder(TString.class);
    for (TfConfig.Task t : cluster.others()) {
      sends.add(tf.io.queueEnqueue(TaskQueues.control(tf, t), List.of(message)));
    }
    for (TfConfig.Task t : cluster.workers().subList(1, cluster.workers().size())) {
      closeInputs.add(tf.io.queueClose(TaskQueues.input(tf, t), QueueClose.cancelPendingEnqueues(true)));
    }
  }

  /** Puts {@code text} into every other task's control queue. */
  void tellAll(Session session, String text) {
    try (TString t = TString.scalarOf(text)) {
      Session.Runner r = session.runner().feed(message, t);
      sends.forEach(r::addTarget);
      r.run();
    }
  }

  /** The run is over: every task may exit 0, and workers stop filling their queues. */
  void finish(Session session) {
    tellAll(session, TaskQueues.DONE);
    Session.Runner r = session.runner();
    closeInputs.forEach(r::addTarget);
    if (!closeInputs.isEmpty()) {
      r.run();
    }
  }
}
