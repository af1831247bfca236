package flowers.data;

/** A dataset the program cannot use; the message says what to do about it. */
public class DataException extends IllegalArgumentException {
  public DataException(String message) {
    super(message);
  }
}
