package flowers.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void firstLineTrimmedOrTheClassName() {
    assertEquals("file is too short", Messages.firstLine(new RuntimeException(" file is too short \n\t [[{{node save/RestoreV2}}]]")));
    assertEquals("IllegalStateException", Messages.firstLine(new IllegalStateException()));
    assertEquals("IllegalStateException", Messages.firstLine(new IllegalStateException("  ")));
  }
}
