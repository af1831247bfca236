package flowers.checkpoint;

/** A checkpoint that cannot be written, found or used; the message is meant for the user. */
public class CheckpointException extends RuntimeException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
