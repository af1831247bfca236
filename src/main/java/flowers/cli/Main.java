package flowers.cli;

import flowers.checkpoint.CheckpointException;
import flowers.data.DataException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * {@code flowers COMMAND [options]}. Exit status: 0 done, 2 bad usage, 1 failure at run time; errors
 * are one line on stderr (the stack trace only with {@code --verbose}).
 */
@Command(
    name = "flowers",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Train, evaluate, export and serve a 107-conv ResNet flower classifier on TensorFlow Java.",
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ExportCommand.class,
      GenerateCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, evaluate, predict, export, generate, inspect or bench");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The whole program, minus {@code System.exit}: tests call this. */
  public static int run(String... args) {
    CommandLine cli = commandLine();
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands only Exceptions to the handler; a Java heap exhausted by a huge batch lands here.
      System.err.println("error: " + message(e));
      return FAILURE;
    }
  }

  public static CommandLine commandLine() {
    Cli.routeLibraryLog();
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new OneLineErrors());
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("error: " + ex.getMessage());
          err.println("try: flowers " + ex.getCommandLine().getCommandName().replace("flowers", "").trim() + " --help");
          return USAGE;
        });
    cli.setExitCodeExceptionMapper(Main::exitCode);
    return cli;
  }

  static int exitCode(Throwable e) {
    return e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException ? USAGE : FAILURE;
  }

  /** User-caused failures end in one line and the right exit code, never a stack trace. */
  private static final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
      boolean verbose = parsed.hasMatchedOption("--verbose")
          || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
      PrintWriter err = cmd.getErr();
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.println("error: " + message(ex));
      err.flush();
      return exitCode(ex);
    }
  }

  static String message(Throwable e) {
    if (e instanceof OutOfMemoryError || (e.getMessage() != null && e.getMessage().contains("OOM when allocating"))) {
      return "out of memory: lower --batch-size (or --image-size)";
    }
    String m = flowers.tf.Messages.firstLine(e);
    if (!(e instanceof IllegalArgumentException || e instanceof DataException || e instanceof CheckpointException
        || e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException)) {
      m = e.getClass().getSimpleName() + ": " + m;
    }
    return m;
  }
}
