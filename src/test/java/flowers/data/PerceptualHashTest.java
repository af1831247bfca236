package flowers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.testing.ImageCopies;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The dHash itself, sizes from headers, and fingerprints of turned and broken files. */
class PerceptualHashTest {

  @Test
  void oneBitPerPairOfNeighboursBrighterToTheRight() {
    float[] grey = new float[72];
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 9; x++) {
        grey[y * 9 + x] = y % 2 == 0 ? 3 * x : -3 * x; // even rows brighten to the right, odd rows darken
      }
    }
    assertEquals(0xFF00FF00FF00FF00L, PerceptualHash.of(grey));
    assertEquals(32, PerceptualHash.distance(PerceptualHash.of(grey), 0));
    assertEquals(64, PerceptualHash.edges(grey));
    assertEquals(0, PerceptualHash.edges(new float[72]));
  }

  /** The thumbnail turn agrees with {@link Orientation#apply}, the turn training uses, on square images. */
  @Test
  void turningAThumbnailIsTheTurnTrainingUses() {
    float[] square = new float[9 * 9 * 3];
    float[] grey = new float[81];
    for (int i = 0; i < 81; i++) {
      grey[i] = i * 7 % 13;
      square[3 * i] = square[3 * i + 1] = square[3 * i + 2] = grey[i];
    }
    for (int o = 1; o <= 8; o++) {
      float[] turned = square.clone();
      Orientation.apply(o, turned, 0, 9);
      float[] mine = PerceptualHash.upright(grey, o, 9, 9);
      for (int i = 0; i < 81; i++) {
        assertEquals(turned[3 * i], mine[i], "orientation " + o + " pixel " + i);
      }
    }
  }

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out));
    return out.toByteArray();
  }

  @Test
  void sizesComeFromTheHeader() throws IOException {
    BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
    for (String format : new String[] {"png", "jpg", "gif", "bmp"}) {
      assertEquals(new ImageSize(37, 23), ImageSize.read(encode(img, format)), format);
    }
    assertNull(ImageSize.read("not an image".getBytes()));
    assertNull(ImageSize.read(java.util.Arrays.copyOf(encode(img, "jpg"), 20)));
    assertEquals(new ImageSize(23, 37), new ImageSize(37, 23).upright(6));
  }

  @Test
  void aPhotoStoredSidewaysHasTheFingerprintOfTheUprightOne() throws IOException {
    BufferedImage upright = SyntheticFlowers.draw(3, 64, new Random(4));
    BufferedImage wide = ImageCopies.scale(upright, 80, 64);
    // Stored turned 90° counter-clockwise, with EXIF 6 ("turn 90° clockwise to view").
    BufferedImage stored = new BufferedImage(64, 80, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 80; x++) {
        stored.setRGB(y, 79 - x, wide.getRGB(x, y));
      }
    }
    try (Fingerprinter f = new Fingerprinter()) {
      Fingerprint plain = f.of(ImageCopies.jpeg(wide, 0.95f));
      Fingerprint turned = f.of(MessyFolderTest.withExifOrientation(ImageCopies.jpeg(stored, 0.95f), 6));
      assertEquals(80, turned.width());
      assertEquals(64, turned.height());
      assertTrue(PerceptualHash.distance(plain.dHash(), turned.dHash()) <= 3,
          PerceptualHash.distance(plain.dHash(), turned.dHash()) + " bits");
      assertTrue(plain.edges() >= PerceptualHash.MIN_EDGES);

      Fingerprint broken = f.of(java.util.Arrays.copyOf(ImageCopies.jpeg(wide, 0.9f), 200));
      assertTrue(broken.error().startsWith("truncated or corrupt JPEG ("), broken.error());
      assertEquals(64, broken.sha256().length());
      assertEquals("unsupported format (webp): convert it to JPEG or PNG",
          f.of(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}).error());
      assertEquals("empty file", f.of(new byte[0]).error());
    }
  }
}
