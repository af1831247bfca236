package flowers.tf;

import java.util.function.Consumer;

/**
 * The library's one logger, for code whose caller gave it no callback of its own: it never prints
 * to stderr itself. It is the platform logger {@value #NAME}, so an application that embeds the
 * library routes it like any other; the command line prints each line as {@code warning: …}.
 */
public final class Log {
  private Log() {}

  public static final String NAME = "flowers";
  private static final System.Logger LOGGER = System.getLogger(NAME);

  /** {@link #warn} as a callback, for the library methods that take one. */
  public static final Consumer<String> WARN = Log::warn;

  public static void warn(String message) {
    LOGGER.log(System.Logger.Level.WARNING, message);
  }
}
