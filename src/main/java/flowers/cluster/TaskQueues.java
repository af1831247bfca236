package flowers.cluster;

import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * The queues that tie a task to the chief. A queue with a shared name on a task's CPU is one queue
 * for every session that names it there: the task's own local session fills or reads it, the
 * chief's graph reads or fills it.
 *
 * <ul>
 *   <li>input: a worker's decoded batches (images, labels), read by its tower in the chief's
 *       graph, so no pixel passes through the chief;
 *   <li>control: the chief's messages to a task, the run's plan first and {@link #DONE} last.
 * </ul>
 */
public final class TaskQueues {
  private TaskQueues() {}

  /** The chief's last message: the run is over and the task may exit 0. */
  public static final String DONE = "done";

  /** Batches a worker decodes ahead of its tower: the loader prefetches too. */
  static final long INPUT_CAPACITY = 2;

  public static DeviceSpec device(TfConfig.Task task) {
    return DeviceSpec.newBuilder().job(task.job()).replica(0).task(task.index()).build();
  }

  public static DeviceSpec cpu(TfConfig.Task task) {
    return DeviceSpec.newBuilder().job(task.job()).replica(0).task(task.index())
        .deviceType(DeviceSpec.DeviceType.CPU).deviceIndex(0).build();
  }

  public static FifoQueue input(Ops tf, TfConfig.Task task) {
    return tf.withDevice(cpu(task)).withName("input_queue_" + task.job() + "_" + task.index())
        .io.fifoQueue(List.of(TFloat32.class, TInt32.class),
            FifoQueue.sharedName("flowers_input_" + task.job() + "_" + task.index()),
            FifoQueue.capacity(INPUT_CAPACITY));
  }

  public static FifoQueue control(Ops tf, TfConfig.Task task) {
    return tf.withDevice(cpu(task)).withName("control_queue_" + task.job() + "_" + task.index())
        .io.fifoQueue(List.of(TString.class),
            FifoQueue.sharedName("flowers_control_" + task.job() + "_" + task.index()),
            FifoQueue.capacity(16L));
  }
}
