package flowers.data;

/** One image file that cannot be decoded; the message is the reason, short. */
public class DecodeException extends Exception {
  public DecodeException(String message) {
    super(message);
  }
}
