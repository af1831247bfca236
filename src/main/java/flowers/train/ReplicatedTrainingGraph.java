package flowers.train;

import flowers.cluster.TaskQueues;
import flowers.cluster.TfConfig;
import flowers.model.Endpoints;
import flowers.model.ModelConfig;
import flowers.model.Names;
import flowers.model.ResNet;
import flowers.model.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.NoOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.io.QueueDequeue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Synchronous data parallelism by in-graph replication (TF1's deploy guide): the variables and
 * Adam's slots on the parameter servers, round-robin; one tower per worker on its own task, fed
 * from that worker's input queue (the chief's tower from placeholders, which validation uses too);
 * the towers' gradients summed beside each variable; one update per step.
 *
 * <p>The loss is the mean over every image of the global batch, whatever each tower holds: each
 * tower sums its examples' losses and the sum is scaled by one over the global count, so N towers
 * of B images give exactly the gradient of one batch of N·B (without batch norm, whose statistics
 * stay per tower).
 *
 * <p>{@code graph.addGradients} creates ops with no device, which a distributed session runs on the
 * chief: the whole backward pass would run there, fed every activation over the network. So each
 * tower's gradients get a prefix of their own, the graph goes through a {@link GraphDef} whose
 * gradient nodes get their tower's device, and the result is imported into the graph the session
 * runs; what the loop needs is looked up there by name.
 */
public final class ReplicatedTrainingGraph {
  private ReplicatedTrainingGraph() {}

  static final String GRADIENTS = "gradients_tower_";
  static final String BATCH_NORM_UPDATES = "batch_norm_updates";

  /** Builds the cluster's training graph into {@code graph}, which must be empty. */
  public static TrainingGraph build(Graph graph, ModelConfig config, TrainingGraph.Options options, TfConfig cluster) {
    List<TfConfig.Task> workers = cluster.workers();
    List<DeviceSpec> ps = cluster.parameterServers().stream().map(TaskQueues::cpu).toList();
    if (ps.isEmpty()) {
      ps = List.of(TaskQueues.cpu(workers.get(0)));
    }
    SharedWeights weights = new SharedWeights(ps);
    List<String> varNames;
    Map<String, List<String>> gradientNames = new HashMap<>();
    GraphDef def;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      int s = config.imageSize();
      Ops chief = tf.withDevice(TaskQueues.device(workers.get(0)));
      chief.withName(Names.IMAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
      chief.withName(Names.LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TBool> training = TrainingGraph.trainingFlag(chief, config);
      List<Operand<TFloat32>> sums = new ArrayList<>();
      List<Operand<TFloat32>> corrects = new ArrayList<>();
      List<Operand<TFloat32>> counts = new ArrayList<>();
      List<Endpoints> towers = new ArrayList<>();
      for (int i = 0; i < workers.size(); i++) {
        // Tower 0 keeps the single-process names (images, logits, probabilities...): validation,
        // the bf16-free probe and every name-based tool see the same graph as in one process.
        Ops t = (i == 0 ? tf : tf.withSubScope("tower_" + i)).withDevice(TaskQueues.device(workers.get(i)));
        Operand<TFloat32> images;
        Operand<TInt32> labels;
        if (i == 0) {
          images = g.<TFloat32>operation(Names.IMAGES).output(0);
          labels = g.<TInt32>operation(Names.LABELS).output(0);
        } else {
          QueueDequeue batch = t.io.queueDequeue(TaskQueues.input(tf, workers.get(i)),
              List.of(TFloat32.class, TInt32.class));
          images = t.reshape(cast(batch.components().get(0)), t.constant(new long[] {-1, s, s, 3}));
          labels = t.reshape(cast(batch.components().get(1)), t.constant(new long[] {-1}));
        }
        weights.rewind();
        Endpoints net = ResNet.build(t, config, images, training, weights);
        towers.add(net);
        sums.add(t.sum(TrainingGraph.perExampleLoss(t, net.logits(), labels, config, options), t.constant(0)));
        corrects.add(t.sum(TrainingGraph.correct(t, net.logits(), labels), t.constant(0)));
        counts.add(t.dtypes.cast(t.size(labels), TFloat32.class));
      }
      Operand<TFloat32> perImage = chief.math.div(chief.constant(1f),
          chief.math.maximum(chief.math.addN(counts), chief.constant(1f)));
      chief.withName(Names.LOSS).math.mul(chief.math.addN(sums), perImage);
      chief.withName(Names.ACCURACY).math.mul(chief.math.addN(corrects), perImage);
      chief.withName("images_in_step").math.addN(counts);
      // Batch norm's moving averages follow the chief's tower, as the deploy guide's first tower.
      tf.withControlDependencies(towers.get(0).updates()).withName(BATCH_NORM_UPDATES).noOp();

      List<Variable<TFloat32>> vars = towers.get(0).variables();
      varNames = vars.stream().map(v -> v.op().name()).toList();
      Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      for (int i = 0; i < workers.size(); i++) {
        Output<?>[] dxs = g.addGradients(GRADIENTS + i, new Output<?>[] {sums.get(i).asOutput()}, xs,
            new Output<?>[] {perImage.asOutput()});
        for (int k = 0; k < dxs.length; k++) {
          gradientNames.computeIfAbsent(varNames.get(k), n -> new ArrayList<>()).add(name(dxs[k]));
        }
      }
      def = placeGradients(g.toGraphDef(), workers);
    }
    graph.importGraphDef(def);
    return resolve(graph, config, options, varNames, gradientNames, weights);
  }

  /** Gives every node of tower i's gradients the device of tower i. */
  static GraphDef placeGradients(GraphDef def, List<TfConfig.Task> workers) {
    GraphDef.Builder b = def.toBuilder();
    for (NodeDef.Builder node : b.getNodeBuilderList()) {
      String n = node.getName();
      if (n.startsWith(GRADIENTS)) {
        int i = Integer.parseInt(n.substring(GRADIENTS.length(), n.indexOf('/')));
        node.setDevice(TaskQueues.device(workers.get(i)).toString());
      }
    }
    return b.build();
  }

  private static TrainingGraph resolve(Graph graph, ModelConfig config, TrainingGraph.Options options,
      List<String> varNames, Map<String, List<String>> gradientNames, SharedWeights weights) {
    Ops tf = Ops.create(graph);
    List<Variable<TFloat32>> vars = new ArrayList<>();
    List<Variable<TFloat32>> kernels = new ArrayList<>();
    for (String n : varNames) {
      Variable<TFloat32> v = new Variable<>(graph.operation(n));
      vars.add(v);
      if (n.endsWith("/w") && !n.startsWith("fc_1/")) {
        kernels.add(v);
      }
    }
    TrainingGraph.Placement near = new TrainingGraph.Placement() {
      @Override
      public Ops near(Ops ops, Variable<?> v) {
        return ops.withDevice(weights.deviceOf(v.op().name()));
      }

      @Override
      public Ops first(Ops ops) {
        return ops.withDevice(weights.ps.get(0));
      }
    };
    List<Output<TFloat32>> gradients = new ArrayList<>();
    for (Variable<TFloat32> v : vars) {
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (String g : gradientNames.get(v.op().name())) {
        parts.add(output(graph, g));
      }
      // Summed beside the variable: each worker sends its gradient once, to the variable's ps.
      gradients.add(near.near(tf, v).math.addN(parts).asOutput());
    }
    List<Op> updates = config.batchNorm() ? List.of(new NoOp(graph.operation(BATCH_NORM_UPDATES))) : List.of();
    Endpoints net = new Endpoints(output(graph, Names.LOGITS), output(graph, Names.PROBABILITIES), vars, kernels,
        updates);
    Operand<TBool> training = config.batchNorm() ? graph.<TBool>operation(Names.TRAINING).output(0) : null;
    Placeholder<TFloat32> learningRate = TrainingGraph.learningRate(near.first(tf));
    return new TrainingGraph(tf, net, new Placeholder<>(graph.operation(Names.IMAGES)),
        new Placeholder<>(graph.operation(Names.LABELS)), learningRate, training, output(graph, Names.LOSS),
        output(graph, Names.ACCURACY), gradients, options, near);
  }

  /** The number of images the step just trained on, summed over the towers. */
  public static Output<TFloat32> imagesInStep(Graph graph) {
    return output(graph, "images_in_step");
  }

  private static String name(Output<?> o) {
    return o.op().name() + ":" + o.index();
  }

  private static Output<TFloat32> output(Graph graph, String name) {
    int colon = name.lastIndexOf(':');
    String op = colon < 0 ? name : name.substring(0, colon);
    int index = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
    return graph.<TFloat32>operation(op).output(index);
  }

  @SuppressWarnings("unchecked")
  private static <T extends org.tensorflow.types.family.TType> Operand<T> cast(Output<?> o) {
    return (Operand<T>) o;
  }

  /**
   * One set of variables for every tower: created by the first build, round-robin over the
   * parameter servers, and handed out again in the same order to each later build.
   */
  private static final class SharedWeights implements Weights {
    final List<DeviceSpec> ps;
    private final List<Variable<TFloat32>> created = new ArrayList<>();
    private final Map<String, DeviceSpec> devices = new HashMap<>();
    private int next;
    private boolean creating = true;

    SharedWeights(List<DeviceSpec> ps) {
      this.ps = ps;
    }

    void rewind() {
      creating = created.isEmpty();
      next = 0;
    }

    DeviceSpec deviceOf(String variable) {
      return devices.getOrDefault(variable, ps.get(0));
    }

    @Override
    public Variable<TFloat32> variable(Ops scope, String name, java.util.function.Function<Ops, Operand<TFloat32>> init) {
      if (!creating) {
        return created.get(next++);
      }
      DeviceSpec device = ps.get(created.size() % ps.size());
      Ops at = scope.withDevice(device);
      Variable<TFloat32> v = at.withName(name).variable(init.apply(at));
      created.add(v);
      devices.put(v.op().name(), device);
      return v;
    }
  }
}
