package flowers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompatibilityTest {
  static final CheckpointMetadata META = CheckpointManagerTest.meta(10, 0.5); // 64 px, classes [a, b]

  @Test
  void theSameModelAndClassesPass() {
    assertDoesNotThrow(() -> Compatibility.check(META, new ModelConfig(64, 2, 1), List.of("a", "b"), Path.of("ck")));
  }

  @Test
  void anotherClassListIsRefusedWithBothLists() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> Compatibility.check(META, new ModelConfig(64, 2, 1), List.of("a", "c"), Path.of("ck")));
    assertTrue(e.getMessage().contains("[a, b]") && e.getMessage().contains("[a, c]"), e.getMessage());
    assertTrue(e.getMessage().contains("--no-resume"), e.getMessage());
  }

  @Test
  void anotherImageSizeOrVariantIsRefused() {
    assertThrows(CheckpointException.class,
        () -> Compatibility.check(META, new ModelConfig(32, 2, 1), List.of("a", "b"), Path.of("ck")));
    assertThrows(CheckpointException.class,
        () -> Compatibility.check(META, new ModelConfig(64, 2, 1, true), List.of("a", "b"), Path.of("ck")));
  }
}
