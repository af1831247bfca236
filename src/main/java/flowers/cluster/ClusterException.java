package flowers.cluster;

/** A cluster that cannot go on: a task that is not up or was lost. One line; exit status 1. */
public final class ClusterException extends IllegalStateException {
  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
