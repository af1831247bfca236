package flowers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentPolicyTest {

  /** A 8×8 image whose every pixel is distinct: its position can be read back from its value. */
  private static float[] ramp(int s) {
    float[] img = new float[s * s * 3];
    for (int p = 0; p < s * s; p++) {
      for (int c = 0; c < 3; c++) {
        img[p * 3 + c] = p * 3 + c;
      }
    }
    return img;
  }

  @Test
  void aShiftMovesTheImageByWholePixelsAndRepeatsTheEdge() {
    int s = 8;
    float[] img = ramp(s);
    new ShiftAugmenter(false, 0.25f).apply(img, 0, s, new Random(11));
    // Recover the shift from the centre pixel, then check every pixel against it.
    int centre = (int) img[(4 * s + 4) * 3] / 3;
    int dy = centre / s - 4;
    int dx = centre % s - 4;
    assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, dx + "," + dy);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int sy = Math.min(s - 1, Math.max(0, y + dy));
        int sx = Math.min(s - 1, Math.max(0, x + dx));
        assertEquals((sy * s + sx) * 3, img[(y * s + x) * 3]);
      }
    }
  }

  @Test
  void sameSeedSameImageAndShiftsVary() {
    int s = 8;
    Set<String> seen = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      float[] a = ramp(s);
      float[] b = ramp(s);
      ShiftAugmenter.defaults().apply(a, 0, s, new Random(seed));
      ShiftAugmenter.defaults().apply(b, 0, s, new Random(seed));
      assertArrayEquals(a, b);
      seen.add(Arrays.toString(a));
    }
    assertTrue(seen.size() > 5, "only " + seen.size() + " different images from 20 seeds");
  }

  @Test
  void nothingToDoLeavesTheImage() {
    float[] img = ramp(8);
    new ShiftAugmenter(false, 0f).apply(img, 0, 8, new Random(1));
    assertArrayEquals(ramp(8), img);
  }

  @Test
  void policies() {
    assertEquals(AugmentPolicy.STRONG, AugmentPolicy.parse("strong"));
    assertEquals(AugmentPolicy.STRONG, AugmentPolicy.parse("true"), "a bare --augment keeps its old meaning");
    assertEquals(AugmentPolicy.NONE, AugmentPolicy.parse("none"));
    assertEquals(AugmentPolicy.LIGHT, AugmentPolicy.AUTO.at(32));
    assertEquals(AugmentPolicy.STRONG, AugmentPolicy.AUTO.at(224));
    assertNull(AugmentPolicy.NONE.augmenter(224));
    assertInstanceOf(ShiftAugmenter.class, AugmentPolicy.AUTO.augmenter(64));
    assertInstanceOf(StandardAugmenter.class, AugmentPolicy.AUTO.augmenter(128));
    var e = assertThrows(IllegalArgumentException.class, () -> AugmentPolicy.parse("heavy"));
    assertFalse(e.getMessage().contains("\n"));
  }
}
