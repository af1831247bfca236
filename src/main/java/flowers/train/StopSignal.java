package flowers.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT/SIGTERM into "save a checkpoint and stop" instead of losing the work since the last
 * save. The loop polls {@link #requested()} after every step; the run then ends normally, exit 0.
 * A second signal while the first is being served stops at once, the old way.
 */
public final class StopSignal implements AutoCloseable {
  private volatile boolean requested;
  private final List<Restore> previous = new ArrayList<>();
  private final Consumer<String> say;

  private record Restore(Signal signal, SignalHandler handler) {}

  private StopSignal(boolean listen, Consumer<String> say) {
    this.say = say;
    if (listen) {
      for (String name : new String[] {"INT", "TERM"}) {
        try {
          Signal signal = new Signal(name);
          previous.add(new Restore(signal, Signal.handle(signal, this::onSignal)));
        } catch (IllegalArgumentException unavailable) {
          // The platform lacks this signal (or the JVM reserves it): nothing to listen to.
        }
      }
    }
  }

  /** Listens for SIGINT/SIGTERM until closed. */
  public static StopSignal install(Consumer<String> say) {
    return new StopSignal(true, say);
  }

  /** Never fires unless {@link #request()} is called: for tests and embedding. */
  public static StopSignal manual() {
    return new StopSignal(false, s -> {});
  }

  public boolean requested() {
    return requested;
  }

  public void request() {
    requested = true;
  }

  private void onSignal(Signal signal) {
    if (requested) {
      say.accept("second SIG" + signal.getName() + ": stopping without saving");
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    requested = true;
    say.accept("SIG" + signal.getName() + ": saving a checkpoint after this step, then stopping (again to stop at once)");
  }

  @Override
  public void close() {
    for (Restore r : previous) {
      Signal.handle(r.signal(), r.handler());
    }
  }
}
