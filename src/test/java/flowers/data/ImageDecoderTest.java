package flowers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.testing.EasyImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** Formats TF cannot read get a reason a user can act on; the in-graph preprocessing is the decoder's. */
class ImageDecoderTest {
  static final byte[] WEBP = Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
  static final byte[] HEIC = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0};
  @TempDir Path root;

  @Test
  void unsupportedFormatsAreNamedWhateverTheFileIsCalled() {
    try (ImageDecoder d = new ImageDecoder(16)) {
      assertEquals("unsupported format (webp): convert it to JPEG or PNG",
          assertThrows(DecodeException.class, () -> d.decode(WEBP)).getMessage());
      assertTrue(assertThrows(DecodeException.class, () -> d.decode(HEIC)).getMessage().startsWith("unsupported format (heic)"));
      assertEquals("empty file", assertThrows(DecodeException.class, () -> d.decode(new byte[0])).getMessage());
      assertEquals("not a JPEG, PNG, GIF or BMP image",
          assertThrows(DecodeException.class, () -> d.decode("hello".getBytes())).getMessage());
    }
  }

  @Test
  void theScanSkipsWebpPhotosButKeepsAJpegNamedWebp() throws Exception {
    EasyImages.write(root, 2, 2, 16, 1);
    Files.write(root.resolve("class_0/photo.WEBP"), WEBP);
    Files.write(root.resolve("class_0/phone.heic"), HEIC);
    Files.copy(root.resolve("class_1/img_001.jpg"), root.resolve("class_1/renamed.webp"));
    ImageFolder f = DatasetScan.scan(root);
    assertTrue(f.images().stream().anyMatch(i -> i.path().endsWith("renamed.webp")));
    List<String> reasons = f.skipped().stream().map(s -> s.path().getFileName() + ": " + s.reason()).toList();
    assertTrue(reasons.contains("photo.WEBP: unsupported format (webp): convert it to JPEG or PNG"), reasons.toString());
    assertTrue(reasons.contains("phone.heic: unsupported format (heic): convert it to JPEG or PNG"), reasons.toString());
  }

  /** The SavedModel's serve_image_bytes builds this subgraph: it must match the decoder exactly. */
  @Test
  void theSharedSubgraphGivesTheDecodersPixels() throws Exception {
    BufferedImage img = new BufferedImage(50, 37, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 37; y++) {
      for (int x = 0; x < 50; x++) {
        img.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | ((x + y) * 2));
      }
    }
    byte[] png = MessyFolderTest.encode(img, "png");
    float[] expected;
    try (ImageDecoder d = new ImageDecoder(24)) {
      expected = d.decode(png);
    }
    float[] actual = new float[24 * 24 * 3];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var in = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      var out = ImageDecoder.decodeAndResize(tf, in, 24);
      try (Session s = new Session(g);
          TString bytes = TString.tensorOfBytes(NdArrays.scalarOfObject(png));
          Result r = s.runner().feed(in, bytes).fetch(out).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(actual, false, false));
      }
    }
    assertArrayEquals(expected, actual, 0f);
    assertEquals(5 * 25, expected[(12 * 24 + 12) * 3], 6, "red grows left to right"); // plausible values
  }
}
