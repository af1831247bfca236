package flowers.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM into "save a checkpoint and stop" instead of losing the work since the last
 * save. The JVM runs shutdown hooks on those signals; the hook asks the loop to stop and waits for
 * it to finish saving before the JVM exits.
 */
public final class StopSignal implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;

  private volatile boolean requested;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private StopSignal(boolean installHook) {
    hook = installHook ? new Thread(this::onSignal, "stop-signal") : null;
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** Listens for SIGINT/SIGTERM until closed. */
  public static StopSignal install() {
    return new StopSignal(true);
  }

  /** Never fires unless {@link #request()} is called: for tests and embedding. */
  public static StopSignal manual() {
    return new StopSignal(false);
  }

  public boolean requested() {
    return requested;
  }

  public void request() {
    requested = true;
  }

  private void onSignal() {
    requested = true;
    try {
      finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    finished.countDown();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is already running and now sees `finished`; nothing to remove.
      }
    }
  }
}
