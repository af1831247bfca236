package flowers.runlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

class EventFileTest {
  @TempDir Path dir;

  @Test
  void scalarsRoundTripAfterTheFileVersionRecord() throws IOException {
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir.resolve("logs/train"))) {
      w.scalar("loss", 1, 2.5);
      w.scalar("loss", 2, 1.25);
      w.flush();
      w.scalar("top1", 2, 0.5);
      file = w.file();
    }
    assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
    assertEquals(dir.resolve("logs/train"), file.getParent());
    List<Event> events = EventFileReader.events(file);
    assertEquals(4, events.size());
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    assertTrue(events.get(1).getWallTime() > 1.6e9, "wall_time is in seconds since the epoch");
    assertEquals(List.of(new EventFileReader.Scalar("loss", 1, 2.5f), new EventFileReader.Scalar("loss", 2, 1.25f),
        new EventFileReader.Scalar("top1", 2, 0.5f)), EventFileReader.scalars(file));
  }

  @Test
  void theGraphTravelsAsSerializedGraphDefBytes() throws IOException {
    GraphDef graph = GraphDef.newBuilder().addNode(NodeDef.newBuilder().setName("c0/w").setOp("VariableV2")).build();
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir)) {
      w.graph(graph);
      file = w.file();
    }
    Event e = EventFileReader.events(file).get(1);
    assertEquals(graph, GraphDef.parseFrom(e.getGraphDef()));
  }

  @Test
  void aFlippedBitInTheDataOrTheLengthFailsItsCrc() throws IOException {
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir)) {
      w.scalar("loss", 1, 2.5);
      file = w.file();
    }
    byte[] good = Files.readAllBytes(file);

    byte[] data = good.clone();
    data[data.length - 6] ^= 0x20; // inside the last record's payload
    Files.write(file, data);
    assertTrue(assertThrows(IOException.class, () -> EventFileReader.events(file)).getMessage().contains("data CRC"));

    byte[] length = good.clone();
    length[0] ^= 0x01; // the first record's length
    Files.write(file, length);
    assertTrue(assertThrows(IOException.class, () -> EventFileReader.events(file)).getMessage().contains("length CRC"));

    Files.write(file, java.util.Arrays.copyOf(good, good.length - 3));
    assertThrows(IOException.class, () -> EventFileReader.events(file), "a cut-off record");
  }

  /**
   * Known answers, so the framing is checked against the spec and not only against our own reader:
   * the CRC-32C check value of "123456789" is 0xE3069283, and the framed records were computed with an
   * independent table-driven CRC-32C in Python (polynomial 0x82F63B78, TensorFlow's mask).
   */
  @Test
  void framingMatchesTheTfRecordSpec() {
    CRC32C crc = new CRC32C();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0xE3069283L, crc.getValue());
    HexFormat hex = HexFormat.of();
    assertArrayEquals(hex.parseHex("0500000000000000eab2043e68656c6c6fbb1f1c19"),
        EventFileWriter.TfRecord.frame("hello".getBytes(StandardCharsets.US_ASCII)));
    assertArrayEquals(hex.parseHex("000000000000000029039807d8ea82a2"), EventFileWriter.TfRecord.frame(new byte[0]));
  }
}
