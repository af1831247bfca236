package flowers.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Where commands print warnings: one line on stderr each, theirs and the library's alike. */
final class Cli {
  private Cli() {}

  /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its handler. */
  private static final Logger LIBRARY = Logger.getLogger(flowers.tf.Log.NAME);

  /** A line on how a command runs (the precision chosen), as it is: not a warning. */
  static void note(String message) {
    System.err.println(message);
  }

  static void warn(String message) {
    System.err.println("warning: " + message);
  }

  /**
   * The library's logger ({@link flowers.tf.Log}) printed as the commands' own warnings, instead of
   * java.util.logging's two-line default. Idempotent.
   */
  static synchronized void routeLibraryLog() {
    if (LIBRARY.getUseParentHandlers()) {
      LIBRARY.setUseParentHandlers(false);
      LIBRARY.addHandler(new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            warn(r.getMessage()); // System.err as it is now: tests swap it
          }
        }

        @Override
        public void flush() {
          System.err.flush();
        }

        @Override
        public void close() {}
      });
    }
  }
}
