package flowers.tf;

/** What a user reads of an exception. */
public final class Messages {
  private Messages() {}

  /**
   * The first line of the message, trimmed; the exception's class name when it has none. TF's
   * messages go on with graph details (node names, stack frames) that users don't need.
   */
  public static String firstLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return m.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse(e.getClass().getSimpleName());
  }
}
