package flowers.train;

import flowers.cluster.ClusterServer;
import flowers.cluster.Reachability;
import flowers.cluster.RemoteSession;
import flowers.cluster.TaskQueues;
import flowers.cluster.TfConfig;
import flowers.data.AugmentPolicy;
import flowers.data.Batch;
import flowers.data.BatchLoader;
import flowers.data.DataCheck;
import flowers.data.DatasetScan;
import flowers.data.LoaderConfig;
import flowers.data.Sampling;
import flowers.data.Split;
import flowers.data.SplitRule;
import flowers.tf.Messages;
import flowers.tf.Tensors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.io.QueueClose;
import org.tensorflow.op.io.QueueDequeue;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * A task of the cluster other than the chief: a parameter server, which serves its variables, or
 * a worker, which also decodes its part of every global batch into its input queue. Either runs
 * until the chief says the run is over (exit 0) or the chief is gone (exit 1): no task outlives a
 * run. The process must end after {@link #run}: its server cannot be stopped.
 */
public final class ClusterTask {

  /** How long the chief may be unreachable, once seen, before a task gives up on it. */
  static final Duration CHIEF_GONE_AFTER = Duration.ofSeconds(3);

  private final TfConfig cluster;
  private final TrainConfig config;
  private final Duration timeout;
  private final PrintStream out;
  private final Consumer<String> warn;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  public ClusterTask(TfConfig cluster, TrainConfig config, Duration timeout, PrintStream out, Consumer<String> warn) {
    this.cluster = cluster;
    this.config = config;
    this.timeout = timeout;
    this.out = out;
    this.warn = warn;
  }

  /** Serves until the run ends; returns the exit status. */
  public int run() {
    TfConfig.Task self = cluster.task();
    ClusterServer.start(cluster, config.session().config());
    out.println(self + " serving on " + cluster.address(self) + "; the chief is " + cluster.chief() + " at "
        + cluster.address(cluster.chief()));
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    QueueDequeue control = tf.withDevice(TaskQueues.cpu(self)).io.queueDequeue(TaskQueues.control(tf, self),
        List.of(TString.class));
    Feeder feeder = cluster.workerIndex() > 0 ? new Feeder(tf) : null;
    // Only this task's devices: a session on the whole cluster would wait for every task.
    ConfigProto local = config.session().config().toBuilder().clearDeviceFilters()
        .addDeviceFilters("/job:" + self.job() + "/task:" + self.index()).build();
    Session session = RemoteSession.open(graph, "grpc://" + cluster.address(self), local);
    watchChief();
    Thread listener = daemon("control", () -> listen(session, control, feeder));
    listener.start();
    try {
      return exit.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      return 1;
    }
  }

  /** The chief's messages: the plan (a worker starts feeding), then {@link TaskQueues#DONE}. */
  private void listen(Session session, QueueDequeue control, Feeder feeder) {
    try {
      while (!exit.isDone()) {
        String message;
        try (Result r = session.runner().fetch(control.components().get(0)).run()) {
          message = ((TString) r.get(0)).getObject();
        }
        if (message.equals(TaskQueues.DONE)) {
          out.println(cluster.task() + ": the chief finished the run");
          exit.complete(0);
        } else if (feeder != null) {
          ClusterPlan plan = ClusterPlan.fromJson(message);
          daemon("feeder", () -> feeder.feed(session, plan)).start();
        }
      }
    } catch (RuntimeException e) {
      fail("lost the chief's control channel: " + Messages.firstLine(e));
    }
  }

  /** Exits 1 when the chief is not up within the timeout, or goes away after it was. */
  private void watchChief() {
    String chief = cluster.address(cluster.chief());
    daemon("watch-chief", () -> {
      long start = System.nanoTime();
      long downSince = -1;
      boolean seen = false;
      while (!exit.isDone()) {
        boolean up = Reachability.isUp(chief);
        long now = System.nanoTime();
        seen |= up;
        downSince = up ? -1 : downSince < 0 ? now : downSince;
        if (!seen && now - start > timeout.toNanos()) {
          fail("the chief (" + cluster.chief() + " at " + chief + ") is not up after " + timeout.toSeconds()
              + " s (--cluster-timeout)");
        } else if (seen && downSince >= 0 && now - downSince > CHIEF_GONE_AFTER.toNanos()) {
          fail("the chief (" + cluster.chief() + " at " + chief + ") is gone: stopping too");
        }
        sleep(500);
      }
    }).start();
  }

  private void fail(String message) {
    if (!exit.isDone()) {
      System.err.println("error: " + cluster.task() + ": " + message);
      exit.complete(1);
    }
  }

  /** A worker's loop: its part of every global batch, from where the chief says the run goes on. */
  private final class Feeder {
    private final Placeholder<TFloat32> images;
    private final Placeholder<TInt32> labels;
    private final Op enqueue;
    private final Op close;

    Feeder(Ops tf) {
      Ops at = tf.withDevice(TaskQueues.cpu(cluster.task()));
      FifoQueue queue = TaskQueues.input(tf, cluster.task());
      images = at.placeholder(TFloat32.class);
      labels = at.placeholder(TInt32.class);
      enqueue = at.io.queueEnqueue(queue, List.of(images, labels));
      close = at.io.queueClose(queue, QueueClose.cancelPendingEnqueues(true));
    }

    void feed(Session session, ClusterPlan plan) {
      int worker = cluster.workerIndex();
      try {
        Split split = split(plan);
        LoaderConfig lc = new LoaderConfig(plan.imageSize(), plan.batchSize() * plan.workers(), plan.seed(),
            config.loaderThreads(), 4, true, false, AugmentPolicy.parse(plan.augment()).augmenter(plan.imageSize()))
            .withShard(worker, plan.workers())
            .withSampling(plan.sampling() == null ? Sampling.UNIFORM : Sampling.parse(plan.sampling()));
        out.printf("%s: feeding part %d of %d of every batch of %d, from epoch %d image %d%n", cluster.task(),
            worker + 1, plan.workers(), lc.batchSize(), plan.epoch() + 1, plan.position() + 1);
        try (BatchLoader loader = new BatchLoader(split.train(), lc, warn)) {
          int position = plan.position();
          for (int epoch = plan.epoch(); epoch < plan.epochs() && !exit.isDone(); epoch++, position = 0) {
            for (Batch batch : loader.epochFrom(epoch, position)) {
              try (TFloat32 x = Tensors.images(batch.images(), batch.size(), plan.imageSize());
                  TInt32 y = Tensors.labels(batch.labels(), batch.size())) {
                session.runner().feed(images, x).feed(labels, y).addTarget(enqueue).run();
              }
              loader.recycle(batch);
            }
          }
        }
      } catch (RuntimeException e) {
        if (!exit.isDone()) {
          // Closing the queue makes the chief's next step fail now, instead of at its timeout.
          try {
            session.runner().addTarget(close).run();
          } catch (RuntimeException ignored) {
            // the chief is gone already
          }
          fail(Messages.firstLine(e));
        }
      }
    }

    private Split split(ClusterPlan plan) {
      var folder = DatasetScan.scan(config.dataDir());
      Path cache = Path.of(System.getProperty("java.io.tmpdir"),
          "flowers-" + cluster.task().job() + "-" + cluster.task().index() + "-" + DataCheck.CACHE_FILE);
      Split split = DataCheck.run(folder, SplitRule.of(plan.splitRule()), plan.valFraction(), plan.seed(),
          config.loaderThreads(), cache, plan.split() == null ? Map.of() : plan.split()).split();
      if (!split.fileListHash().equals(plan.files())) {
        throw new IllegalStateException("this worker's " + config.dataDir() + " holds other files than the chief's ("
            + split.train().size() + " training images here): give every task the same data");
      }
      return split;
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
