package flowers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointManager;
import flowers.data.AugmentPolicy;
import flowers.testing.EasyImages;
import flowers.tf.Device;
import flowers.tf.Precision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop and its listeners (issue 13): the caller's own, each way a run ends, the one save path. */
class TrainingListenersTest {
  @TempDir static Path shared;
  static Path data;

  @BeforeAll
  static void data() {
    data = EasyImages.write(shared.resolve("data"), 3, 8, 40, 1);
  }

  /** 18 training images, batch 4: 5 steps per epoch; a checkpoint every 3 steps within an epoch. */
  static TrainConfigBuilder config(String name) {
    return TrainConfig.builder(data, shared.resolve(name)).imageSize(32).batchSize(4).epochs(50)
        .valFraction(0.25).seed(7).saveEvery(3).keep(10).threads(1).loaderThreads(1).resume(true)
        .schedule(LearningRateSchedule.Kind.COSINE).warmupSteps(2).augment(AugmentPolicy.NONE)
        .precision(Precision.FP32).logEvery(1).device(Device.CPU);
  }

  /** Every event it is given, in order. */
  static class Recorder implements TrainingListener {
    final List<String> events = new ArrayList<>();
    final List<Long> steps = new ArrayList<>();
    Stop stop;
    TrainResult result;

    @Override
    public void onStart(Start s) {
      events.add("start " + s.step());
    }

    @Override
    public void onStep(Step s) {
      events.add("step " + s.step());
      steps.add(s.step());
    }

    @Override
    public void onEpoch(Epoch e) {
      events.add("epoch " + e.epoch());
    }

    @Override
    public void onStop(Stop s) {
      events.add("stop " + s.reason());
      stop = s;
    }

    @Override
    public void onEnd(TrainResult r) {
      events.add("end");
      result = r;
    }
  }

  record Run(TrainResult result, String log) {}

  static Run train(TrainConfig config, StopSignal stop, TrainingListener... listeners) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Trainer trainer = new Trainer(config, new PrintStream(out, true, StandardCharsets.UTF_8), w -> {}, stop);
    for (TrainingListener l : listeners) {
      trainer.addListener(l);
    }
    TrainResult r = trainer.run();
    return new Run(r, out.toString(StandardCharsets.UTF_8));
  }

  static Run train(TrainConfig config, TrainingListener... listeners) {
    try (StopSignal stop = StopSignal.manual()) {
      return train(config, stop, listeners);
    }
  }

  /** A listener that runs {@code action} once, after step {@code at}. */
  static TrainingListener atStep(long at, Consumer<TrainingListener.Step> action) {
    return new TrainingListener() {
      @Override
      public void onStep(Step s) {
        if (s.step() == at) {
          action.accept(s);
        }
      }
    };
  }

  static List<String> checkpoints(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("ckpt-\\d+\\.json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aListenerAddedByTheCallerSeesEveryStepAndCanStopTheRun() {
    Recorder seen = new Recorder();
    Run run = train(config("own-listener").build(), seen,
        atStep(7, s -> s.control().stop(StopReason.REQUESTED)));
    assertEquals(StopReason.REQUESTED, run.result().stoppedBy());
    assertEquals(7, run.result().step(), "stopped right after the step that asked");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), seen.steps);
    assertEquals(List.of("start 0", "step 1", "step 2", "step 3", "step 4", "step 5", "epoch 0", "step 6", "step 7",
        "stop requested", "end"), seen.events);
    assertEquals(run.result(), seen.result, "onEnd is handed the run's result");
    assertEquals(7, new CheckpointManager(shared.resolve("own-listener"), 10, w -> {}).latest().orElseThrow().step(),
        "the run saved where it stopped");
    assertEquals(7, seen.stop.step());
    assertEquals(1, seen.stop.epoch());
    assertEquals(2, seen.stop.stepInEpoch());
    assertEquals(8, seen.stop.imagesInEpoch());
  }

  @Test
  void eachWayARunEndsHasItsReasonAndItsLabel() {
    assertEquals(StopReason.EPOCHS, train(config("epochs").epochs(1).build()).result().stoppedBy());
    assertEquals(StopReason.MAX_STEPS, train(config("max-steps").maxSteps(3).build()).result().stoppedBy());
    // Without a validation split no epoch has a better top-1: patience 1 stops after the first.
    Run early = train(config("early").valFraction(0).earlyStopPatience(1).build());
    assertEquals(StopReason.EARLY_STOP, early.result().stoppedBy());
    assertEquals(6, early.result().step(), "24 images, one epoch");
    assertTrue(early.log().contains("early stop: no better validation top-1 for 1 epochs (best n/a)"), early.log());
    try (StopSignal stop = StopSignal.manual()) {
      assertEquals(StopReason.SIGNAL, train(config("signal").build(), stop, atStep(2, s -> stop.request()))
          .result().stoppedBy());
    }
    // What train prints and the README quotes.
    assertEquals(List.of("epochs", "max-steps", "early-stop", "signal", "requested"),
        Stream.of(StopReason.values()).map(StopReason::label).toList());
  }

  /**
   * After a step a listener's stop, else a signal, ends the run at once; at an epoch's end a
   * listener's (early stop) comes first, then --max-steps, then a signal.
   */
  @Test
  void theFirstReasonAskedForIsTheRunsAndMaxStepsComesBeforeASignalAtAnEpochsEnd() {
    StopSignal signal = StopSignal.manual();
    RunControl control = new RunControl(signal);
    assertEquals(null, control.afterStep());
    assertEquals(null, control.afterEpoch(false));
    signal.request();
    assertEquals(StopReason.SIGNAL, control.afterStep());
    assertEquals(StopReason.MAX_STEPS, control.afterEpoch(true));
    assertEquals(StopReason.SIGNAL, control.afterEpoch(false));
    control.stop(StopReason.EARLY_STOP);
    control.stop(StopReason.REQUESTED);
    assertEquals(StopReason.EARLY_STOP, control.afterEpoch(true));
    assertEquals(StopReason.EARLY_STOP, control.afterStep());
  }

  /** A signal between two periodic saves: saved once, where it stopped, and said once. */
  @Test
  void aSignalMidEpochSavesOnce() {
    Path dir = shared.resolve("signal-mid");
    try (StopSignal stop = StopSignal.manual()) {
      Run run = train(config("signal-mid").build(), stop, atStep(2, s -> stop.request()));
      assertEquals(2, run.result().step());
      assertEquals(List.of("ckpt-00000002.json"), checkpoints(dir));
      assertEquals(1, run.log().lines().filter(l -> l.equals("stopped by signal: saved ckpt-00000002 at step 2"))
          .count(), run.log());
    }
  }

  /** A signal on a step that --save-every saves anyway: that save is the signal's; no second one. */
  @Test
  void aSignalOnAPeriodicSaveDoesNotSaveAgain() throws Exception {
    Path dir = shared.resolve("signal-periodic");
    FileTime[] saved = new FileTime[1];
    try (StopSignal stop = StopSignal.manual()) {
      Run run = train(config("signal-periodic").build(), stop, atStep(3, s -> {
        try {
          saved[0] = Files.getLastModifiedTime(dir.resolve("ckpt-00000003.json")); // the periodic save, just made
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        stop.request();
      }));
      assertEquals(3, run.result().step());
      assertEquals("ckpt-00000003", run.result().checkpoint());
      assertEquals(saved[0], Files.getLastModifiedTime(dir.resolve("ckpt-00000003.json")), "not saved again");
      assertEquals(List.of("ckpt-00000003.json"), checkpoints(dir));
      assertTrue(run.log().contains("stopped by signal: saved ckpt-00000003 at step 3"), run.log());
    }
  }

  /** At the end of an epoch the epoch's checkpoint is the only one, whatever the reason to stop. */
  @Test
  void maxStepsAtAnEpochsEndSavesTheEpochOnce() {
    Path dir = shared.resolve("max-at-epoch");
    Recorder seen = new Recorder();
    Run run = train(config("max-at-epoch").maxSteps(5).saveEvery(100).build(), seen);
    assertEquals(StopReason.MAX_STEPS, run.result().stoppedBy());
    assertEquals(List.of("ckpt-00000005.json"), checkpoints(dir));
    assertTrue(seen.events.contains("epoch 0"), "the epoch ended and was validated first: " + seen.events);
    assertEquals(1, new CheckpointManager(dir, 10, w -> {}).latest().orElseThrow().epoch(), "the epoch's own save");
  }

  @Test
  void aLossThatIsNoLongerANumberEndsTheRunAndSaysWhatToTry() {
    DivergenceGuard guard = new DivergenceGuard(Precision.BF16, 1e-3f);
    TrainingListener.Step nan = new TrainingListener.Step(5, 0, 5, 5, Double.NaN, 0, 1e-3f, 4, 0.1, 20, true,
        new RunControl(StopSignal.manual()));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> guard.onStep(nan));
    assertEquals("the loss became NaN at step 4 in bf16: retry with --precision fp32, or lower --learning-rate "
        + "(now 0.001)", e.getMessage());
    assertFalse(new DivergenceGuard(Precision.FP32, 1e-3f).message(Double.POSITIVE_INFINITY, 4).contains("bf16"));
  }
}
