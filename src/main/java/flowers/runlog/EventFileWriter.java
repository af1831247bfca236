package flowers.runlog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.Summary;

/**
 * TensorBoard event files in plain Java: {@code Event} protos in TFRecord framing, the format
 * TensorBoard reads. No graph ops, no session: logging never touches the training graph.
 */
public final class EventFileWriter implements AutoCloseable {
  private static final AtomicInteger WRITERS = new AtomicInteger();

  private final Path file;
  private final OutputStream out;

  public EventFileWriter(Path dir) {
    try {
      Files.createDirectories(dir);
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
      // TensorBoard orders files by this timestamp. The pid and a per-JVM counter keep two writers that start
      // in the same second apart, as TensorFlow's own ".<pid>.<uid>" suffix does; TensorBoard only looks
      // for "tfevents" in the name.
      file = dir.resolve(String.format("events.out.tfevents.%010d.%s.%d.%d", System.currentTimeMillis() / 1000, host,
          ProcessHandle.current().pid(), WRITERS.incrementAndGet()));
      out = new BufferedOutputStream(Files.newOutputStream(file));
      write(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2").build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TensorBoard logs in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** One scalar point; TensorBoard's {@code simple_value} is a float32, so the value is rounded to float. */
  public void scalar(String tag, long step, double value) {
    Summary summary = Summary.newBuilder()
        .addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value)).build();
    write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
  }

  /** The graph for TensorBoard's Graphs tab, as serialized {@code GraphDef} bytes. */
  public void graph(GraphDef graph) {
    write(Event.newBuilder().setWallTime(now()).setGraphDef(graph.toByteString()).build());
  }

  /** Makes everything written so far visible to a running TensorBoard; call it once an epoch. */
  public synchronized void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void write(Event event) {
    try {
      out.write(TfRecord.frame(event.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** TFRecord framing: length, masked CRC32C of the length, data, masked CRC32C of the data. */
  static final class TfRecord {
    private TfRecord() {}

    static byte[] frame(byte[] data) {
      ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(data.length);
      b.putInt(maskedCrc(b.array(), 0, 8));
      b.put(data);
      b.putInt(maskedCrc(data, 0, data.length));
      return b.array();
    }

    static int maskedCrc(byte[] bytes, int offset, int length) {
      CRC32C crc = new CRC32C();
      crc.update(bytes, offset, length);
      int c = (int) crc.getValue();
      return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }
  }
}
