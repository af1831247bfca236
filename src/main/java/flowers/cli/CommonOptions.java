package flowers.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(names = "--verbose", description = "Print stack traces and TensorFlow's own log lines.")
  boolean verbose;

  @Option(names = "--quiet", description = "train: only warnings, errors and the final summary line.")
  boolean quiet;
}
