package flowers.cli;

/** Where commands print warnings: one line on stderr each. */
final class Cli {
  private Cli() {}

  static void warn(String message) {
    System.err.println("warning: " + message);
  }
}
