package flowers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.testing.EasyImages;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** The trainer as a child process, killed the hard way and the polite way. */
class KillAndResumeTest {
  static final int SAVE_EVERY = 3;
  static final Pattern STEP = Pattern.compile(" step (\\d+) ");
  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void data() {
    data = EasyImages.write(dir.resolve("data"), 2, 12, 32, 4);
  }

  /** A running trainer and the last step it reported. */
  static final class Child {
    final Process process;
    final AtomicLong lastStep = new AtomicLong(-1);
    final List<String> lines = new ArrayList<>();
    final Thread reader;

    Child(Path checkpoints) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
          "--data-dir", data.toString(), "--checkpoint-dir", checkpoints.toString(), "--image-size", "32",
          "--batch-size", "2", "--epochs", "1000", "--save-every", String.valueOf(SAVE_EVERY), "--log-every", "1",
          "--threads", "1", "--loader-threads", "1")
          .redirectErrorStream(true).start();
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            synchronized (lines) {
              lines.add(line);
            }
            Matcher m = STEP.matcher(line);
            if (line.startsWith("epoch") && m.find()) {
              lastStep.set(Long.parseLong(m.group(1)));
            }
          }
        } catch (java.io.IOException ignored) {
          // The process died: that is the point.
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    void awaitStep(long step) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (lastStep.get() < step) {
        assertTrue(process.isAlive() || lastStep.get() >= step, "trainer died: " + log());
        assertTrue(System.nanoTime() < deadline, "no step " + step + " in time: " + log());
        Thread.sleep(20);
      }
    }

    /** Waits for the process to end and its output to be read to the last line. */
    boolean finish(long seconds) throws InterruptedException {
      boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
      reader.join(5000);
      return ended;
    }

    String log() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }

  static CheckpointMetadata latest(Path checkpoints) {
    return new CheckpointManager(checkpoints, 5, w -> {}).latest().orElseThrow();
  }

  @Test
  void sigkillAtRandomMomentsLosesAtMostSaveEverySteps() throws Exception {
    Path checkpoints = dir.resolve("killed");
    Random rnd = new Random(1);
    long resumedAt = 0;
    for (int round = 0; round < 3; round++) {
      Child child = new Child(checkpoints);
      child.awaitStep(resumedAt + 1);
      Thread.sleep(rnd.nextInt(1500));
      child.process.destroyForcibly(); // SIGKILL: no hook, no handler runs
      child.finish(30);
      long reached = child.lastStep.get();
      CheckpointMetadata meta = latest(checkpoints);
      assertTrue(reached - meta.step() <= SAVE_EVERY,
          "round " + round + ": reached step " + reached + " but the latest checkpoint is " + meta.step());
      assertTrue(meta.step() >= resumedAt, "never goes back");
      // The latest checkpoint must restore.
      try (Graph g = new Graph()) {
        flowers.train.TrainingGraph.build(g, meta.modelConfig(), flowers.train.TrainingGraph.Options.NONE);
        try (Session s = new Session(g)) {
          s.restore(new CheckpointManager(checkpoints, 5, w -> {}).prefix(meta));
        }
      }
      resumedAt = meta.step();
    }
  }

  @Test
  void sigtermSavesAndExitsZero() throws Exception {
    Path checkpoints = dir.resolve("terminated");
    Child child = new Child(checkpoints);
    child.awaitStep(4);
    long t0 = System.nanoTime();
    child.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
    assertTrue(child.finish(20), "still running after SIGTERM: " + child.log());
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, child.process.exitValue(), child.log());
    assertTrue(seconds < 10, "took " + seconds + " s");
    // The trainer's own report, not the last progress line seen: the child's stderr notice can
    // land in the middle of a stdout line in the merged stream this test reads.
    var saved = Pattern.compile("stopped by signal: saved \\S+ at step (\\d+)").matcher(child.log());
    assertTrue(saved.find(), child.log());
    long reached = Long.parseLong(saved.group(1));
    assertTrue(reached >= 4, "saved step " + reached + " is before the step awaited");
    assertEquals(reached, latest(checkpoints).step(), "the step reached is saved: " + child.log());
  }
}
