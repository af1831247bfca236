package flowers.runlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/** Reads event files back, checking every CRC: for tests and for the run report. */
public final class EventFileReader {
  private EventFileReader() {}

  public record Scalar(String tag, long step, float value) {}

  public static List<Event> events(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.remaining() > 0) {
      if (b.remaining() < 12) {
        throw new IOException(file + ": truncated record header");
      }
      int start = b.position();
      long length = b.getLong();
      int lengthCrc = b.getInt();
      if (lengthCrc != EventFileWriter.TfRecord.maskedCrc(all, start, 8)) {
        throw new IOException(file + ": bad length CRC at byte " + start);
      }
      if (length > b.remaining() - 4) {
        throw new IOException(file + ": truncated record at byte " + start);
      }
      byte[] data = Arrays.copyOfRange(all, b.position(), b.position() + (int) length);
      b.position(b.position() + (int) length);
      if (b.getInt() != EventFileWriter.TfRecord.maskedCrc(data, 0, data.length)) {
        throw new IOException(file + ": bad data CRC at byte " + start);
      }
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  public static List<Scalar> scalars(Path file) throws IOException {
    List<Scalar> out = new ArrayList<>();
    for (Event e : events(file)) {
      if (e.hasSummary()) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
            out.add(new Scalar(v.getTag(), e.getStep(), v.getSimpleValue()));
          }
        }
      }
    }
    return out;
  }
}
