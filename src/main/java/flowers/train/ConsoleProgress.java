package flowers.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on the console: a live bar per epoch on a terminal, plain lines every {@code logEvery}
 * steps otherwise (CI, files), so logs never fill with carriage returns; and the run's last line,
 * {@code done: …}.
 */
public final class ConsoleProgress implements TrainingListener {
  private final PrintStream out;
  private final int logEvery;
  private final boolean bar;
  private ProgressBar progress;
  private boolean printed;
  private int epochs;
  private double windowLoss;
  private double windowAccuracy;
  private int windowSteps;
  private long windowImages;
  private double windowSeconds;

  /** @param bar live progress bar (only sensible when stdout is a terminal) */
  public ConsoleProgress(PrintStream out, int logEvery, boolean bar) {
    this.out = out;
    this.logEvery = logEvery;
    this.bar = bar;
  }

  /** A bar when a person is watching; lines when output goes to a file or a CI log. */
  public static boolean isTerminal() {
    return System.console() != null && System.getenv("CI") == null;
  }

  @Override
  public void onStart(Start start) {
    epochs = start.epochs();
  }

  @Override
  public void onStep(Step s) {
    windowLoss += s.loss();
    windowAccuracy += s.accuracy();
    windowSteps++;
    windowImages += s.images();
    windowSeconds += s.seconds();
    if (bar) {
      if (progress == null) {
        progress = new ProgressBarBuilder().setTaskName("epoch " + (s.epoch() + 1) + "/" + epochs)
            .setInitialMax(s.stepsPerEpoch()).setStyle(ProgressBarStyle.ASCII).continuousUpdate()
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).startsFrom(s.stepInEpoch() - 1, java.time.Duration.ZERO).build();
      }
      progress.stepTo(s.stepInEpoch());
      if (windowSteps >= Math.min(logEvery, 5)) {
        progress.setExtraMessage(String.format("loss %.3f acc %.3f %.0f img/s", windowLoss / windowSteps,
            windowAccuracy / windowSteps, windowImages / Math.max(1e-9, windowSeconds)));
        reset();
      }
      return;
    }
    if (s.step() % logEvery == 0 || !printed) {
      printed = true;
      out.printf("epoch %d/%d step %d (%d/%d) loss %.4f acc %.3f lr %.2e %.1f img/s%n", s.epoch() + 1, epochs, s.step(),
          s.stepInEpoch(), s.stepsPerEpoch(), windowLoss / windowSteps, windowAccuracy / windowSteps, s.learningRate(),
          windowImages / Math.max(1e-9, windowSeconds));
      reset();
    }
  }

  private void reset() {
    windowLoss = 0;
    windowAccuracy = 0;
    windowSteps = 0;
    windowImages = 0;
    windowSeconds = 0;
  }

  @Override
  public void onEpoch(Epoch e) {
    closeBar();
    if (!Double.isNaN(e.valTop1())) {
      out.printf("epoch %d/%d validation: top-1 %.4f top-5 %.4f loss %.4f (%d images), train loss %.4f acc %.3f, %.1fs%n",
          e.epoch() + 1, e.epochs(), e.valTop1(), e.valTop5(), e.valLoss(), e.valImages(), e.trainLoss(),
          e.trainAccuracy(), e.seconds());
    } else {
      out.printf("epoch %d/%d done: train loss %.4f acc %.3f, %.1fs%n", e.epoch() + 1, e.epochs(), e.trainLoss(),
          e.trainAccuracy(), e.seconds());
    }
  }

  @Override
  public void onEnd(TrainResult r) {
    closeBar();
    out.printf("done: step %d, last checkpoint %s, best validation top-1 %s, %d files skipped, %.1f img/s overall, %s%n",
        r.step(), r.checkpoint(), formatTop1(r.bestValTop1()), r.skippedImages(), r.imagesPerSecond(),
        formatDuration(r.elapsed()));
  }

  /** A validation top-1, or n/a before the first validation. */
  static String formatTop1(double top1) {
    return Double.isNaN(top1) ? "n/a" : String.format("%.4f", top1);
  }

  static String formatDuration(java.time.Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60)
        : String.format("%.1fs", d.toMillis() / 1000.0);
  }

  private void closeBar() {
    if (progress != null) {
      progress.close();
      progress = null;
    }
  }
}
