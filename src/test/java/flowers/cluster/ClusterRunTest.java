package flowers.cluster;

import flowers.tf.Closeness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.cli.Main;
import flowers.runlog.History;
import flowers.testing.EasyImages;
import flowers.train.TrainingGraph;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One ps and two workers on loopback, each a JVM of its own running the same {@code train}
 * command with its {@code TF_CONFIG}, against one process.
 */
class ClusterRunTest {
  @TempDir static Path dir;
  static Path data;
  final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void data() {
    data = EasyImages.write(dir.resolve("data"), 4, 10, 32, 5);
  }

  @AfterEach
  void noTaskLeftBehind() {
    started.forEach(Process::destroyForcibly);
  }

  static final String[] COMMON = {"train", "--image-size", "32", "--threads", "1", "--loader-threads", "1",
      "--precision", "fp32", "--no-report", "--log-every", "1"};

  @Test
  void twoWorkersOfFourImagesTrainAsOneProcessOfEight() throws Exception {
    Path single = dir.resolve("single");
    Process one = start(null, single, "--batch-size", "8", "--max-steps", "5", "--epochs", "3");
    assertEquals(0, finish(one, 240), output(one));

    Path cluster = dir.resolve("cluster");
    String[] tasks = cluster(3);
    Process ps = start(tasks[0], cluster, "--batch-size", "4", "--max-steps", "5", "--epochs", "3");
    Process worker = start(tasks[2], cluster, "--batch-size", "4", "--max-steps", "5", "--epochs", "3");
    Process chief = start(tasks[1], cluster, "--batch-size", "4", "--max-steps", "5", "--epochs", "3");
    assertEquals(0, finish(chief, 240), output(chief));
    assertTrue(output(chief).contains("training on 2 workers (global batch 4×2)"), output(chief));
    // ps and worker exit 0 once the chief says the run is over.
    assertEquals(0, finish(ps, 30), output(ps));
    assertEquals(0, finish(worker, 30), output(worker));

    List<History.StepPoint> a = History.steps(single);
    List<History.StepPoint> b = History.steps(cluster);
    assertEquals(5, a.size());
    assertEquals(5, b.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(a.get(i).loss(), b.get(i).loss(), 1e-4 * Math.abs(a.get(i).loss()), "loss of step " + (i + 1));
    }
    Map<String, float[]> va = variables(single);
    Map<String, float[]> vb = variables(cluster);
    assertEquals(va.keySet(), vb.keySet());
    double worst = va.keySet().stream().mapToDouble(n -> Closeness.relativeError(va.get(n), vb.get(n))).max().orElse(0);
    System.out.printf("cluster vs one process: %d variables, largest relative difference %.2e; losses %s vs %s%n",
        va.size(), worst, a.stream().map(p -> String.format("%.6f", p.loss())).toList(),
        b.stream().map(p -> String.format("%.6f", p.loss())).toList());
    for (String name : va.keySet()) {
      assertTrue(Closeness.relativeError(va.get(name), vb.get(name)) <= 1e-4, name + ": " + Closeness.relativeError(va.get(name), vb.get(name)));
    }

    // The cluster's checkpoint resumes in one process, at the image where the cluster stopped.
    Process resumed = start(null, cluster, "--batch-size", "8", "--max-steps", "7", "--epochs", "3");
    assertEquals(0, finish(resumed, 240), output(resumed));
    assertTrue(output(resumed).contains("resuming from ckpt-00000005"), output(resumed));
    assertTrue(output(resumed).contains("done: step 7"), output(resumed));
  }

  @Test
  void aKilledWorkerStopsTheRunAndNoTaskIsLeft() throws Exception {
    Path cluster = dir.resolve("killed");
    String[] tasks = cluster(3);
    String[] args = {"--batch-size", "2", "--epochs", "1000", "--save-every", "2", "--cluster-timeout", "30"};
    Process ps = start(tasks[0], cluster, args);
    Process worker = start(tasks[2], cluster, args);
    Process chief = start(tasks[1], cluster, args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!output(chief).contains(" step 4 ") && System.nanoTime() < deadline && chief.isAlive()) {
      Thread.sleep(200);
    }
    assertTrue(output(chief).contains(" step 4 "), output(chief));
    worker.destroyForcibly();
    long killed = System.nanoTime();
    assertEquals(1, finish(chief, 60), output(chief));
    double seconds = (System.nanoTime() - killed) / 1e9;
    assertTrue(seconds < 35, "the chief took " + seconds + " s to notice");
    String last = lastLine(chief);
    assertTrue(last.startsWith("error: lost worker 1 (localhost:"), last);
    assertTrue(last.contains("last good checkpoint ckpt-") && last.endsWith("restart every task to resume"), last);
    assertEquals(1, finish(ps, 30), output(ps));
    assertTrue(output(ps).contains("the chief (worker 0 at localhost:"), output(ps));
    assertTrue(new CheckpointManager(cluster, 5, w -> {}).latest().isPresent());
  }

  @Test
  void aTaskThatNeverComesUpEndsTheChiefInOneLine() throws Exception {
    String[] tasks = cluster(3);
    Process chief = start(tasks[1], dir.resolve("alone"), "--batch-size", "2", "--max-steps", "2", "--cluster-timeout", "3");
    assertEquals(1, finish(chief, 120), output(chief));
    String last = lastLine(chief);
    assertTrue(last.matches("error: (ps 0|worker 1) \\(localhost:\\d+\\) is not up after 3 s \\(--cluster-timeout\\).*"), last);
  }

  @Test
  void aConfigThatCannotBeParsedIsAUsageError() throws Exception {
    Process p = start("{\"cluster\":", dir.resolve("bad"), "--batch-size", "2");
    assertEquals(2, finish(p, 60), output(p));
    assertTrue(lastLine(p).startsWith("error: cannot use TF_CONFIG: it is not valid JSON"), lastLine(p));
  }

  // ---- helpers

  /** TF_CONFIG of ps 0, worker 0 (the chief) and worker 1 on free loopback ports. */
  static String[] cluster(int tasks) throws IOException {
    int[] ports = new int[tasks];
    for (int i = 0; i < tasks; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        ports[i] = s.getLocalPort();
      }
    }
    String c = "\"cluster\":{\"ps\":[\"localhost:" + ports[0] + "\"],\"worker\":[\"localhost:" + ports[1]
        + "\",\"localhost:" + ports[2] + "\"]}";
    return new String[] {
      "{" + c + ",\"task\":{\"type\":\"ps\",\"index\":0}}",
      "{" + c + ",\"task\":{\"type\":\"worker\",\"index\":0}}",
      "{" + c + ",\"task\":{\"type\":\"worker\",\"index\":1}}"};
  }

  Process start(String tfConfig, Path checkpoints, String... extra) throws IOException {
    Files.createDirectories(dir.resolve("logs"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(COMMON));
    cmd.addAll(List.of("--data-dir", data.toString(), "--checkpoint-dir", checkpoints.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs").resolve("task-" + started.size() + "-" + System.nanoTime() + ".log").toFile());
    pb.environment().remove(TfConfig.ENV);
    if (tfConfig != null) {
      pb.environment().put(TfConfig.ENV, tfConfig);
    }
    Process p = pb.start();
    started.add(p);
    logs.put(p, pb.redirectOutput().file().toPath());
    return p;
  }

  private final Map<Process, Path> logs = new LinkedHashMap<>();

  String output(Process p) {
    try {
      return Files.readString(logs.get(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  String lastLine(Process p) {
    List<String> lines = output(p).lines().filter(l -> l.startsWith("error: ")).toList();
    return lines.isEmpty() ? output(p) : lines.get(lines.size() - 1);
  }

  static int finish(Process p, int seconds) throws InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  static Map<String, float[]> variables(Path checkpoints) {
    CheckpointManager manager = new CheckpointManager(checkpoints, 5, w -> {});
    CheckpointMetadata meta = manager.latest().orElseThrow();
    Map<String, float[]> values = new LinkedHashMap<>();
    try (Graph g = new Graph()) {
      TrainingGraph t = TrainingGraph.build(g, meta.modelConfig(), TrainingGraph.Options.NONE);
      try (Session s = new Session(g)) {
        manager.restore(s, meta);
        for (Variable<TFloat32> v : t.net.variables()) {
          try (Result r = s.runner().fetch(v).run()) {
            TFloat32 x = (TFloat32) r.get(0);
            float[] a = new float[(int) x.size()];
            x.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(a, false, false));
            values.put(v.op().name(), a);
          }
        }
      }
    }
    return values;
  }

}
