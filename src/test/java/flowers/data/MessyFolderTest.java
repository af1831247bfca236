package flowers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A photo folder as users have them, made by the test: odd formats, odd names, broken files and
 * links. Every file is either decoded to plausible pixels or skipped with a reason; nothing hangs.
 */
class MessyFolderTest {
  static final int S = 32;
  @TempDir static Path root;
  static final Map<String, Color> EXPECTED = new HashMap<>();

  static BufferedImage solid(int w, int h, int type, Color c) {
    BufferedImage img = new BufferedImage(w, h, type);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam p = w.getDefaultWriteParam();
      if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      w.setOutput(out);
      w.write(null, new IIOImage(img, null, null), p);
    }
    w.dispose();
    return bytes.toByteArray();
  }

  /** An Adobe CMYK JPEG, as print workflows save them; ImageIO writes one from a 4-band raster. */
  static byte[] cmykJpeg(int size) throws IOException {
    WritableRaster r = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, size, size, 4, null);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        r.setPixel(x, y, new int[] {0, 255, 255, 0}); // CMYK for red (inverted as Adobe stores it)
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      w.setOutput(out);
      w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam());
    }
    w.dispose();
    return bytes.toByteArray();
  }

  /** A JPEG with an EXIF APP1 segment saying "rotate 90° clockwise to view" (orientation 6). */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, 0, 0, 0, 0};
    byte[] exif = new byte[6 + tiff.length];
    System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
    System.arraycopy(tiff, 0, exif, 6, tiff.length);
    int len = exif.length + 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xff);
    out.writeBytes(exif);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  static byte[] animatedGif() throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      w.setOutput(out);
      w.prepareWriteSequence(null);
      for (Color c : new Color[] {Color.BLUE, Color.RED, Color.GREEN}) {
        BufferedImage frame = solid(20, 20, BufferedImage.TYPE_INT_RGB, c);
        IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
        IIOMetadataNode rootNode = (IIOMetadataNode) meta.getAsTree(meta.getNativeMetadataFormatName());
        IIOMetadataNode gce = new IIOMetadataNode("GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", "10");
        gce.setAttribute("transparentColorIndex", "0");
        rootNode.appendChild(gce);
        meta.setFromTree(meta.getNativeMetadataFormatName(), rootNode);
        w.writeToSequence(new IIOImage(frame, null, meta), null);
      }
      w.endWriteSequence();
    }
    w.dispose();
    return bytes.toByteArray();
  }

  static void put(String rel, byte[] bytes, Color expected) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    if (expected != null) {
      EXPECTED.put(p.getFileName().toString(), expected);
    }
  }

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out), format);
    return out.toByteArray();
  }

  @BeforeAll
  static void makeTheMess() throws IOException {
    Color red = new Color(230, 20, 20);
    Color blue = new Color(20, 40, 230);
    BufferedImage redImg = solid(40, 30, BufferedImage.TYPE_INT_RGB, red);
    put("red/baseline.jpg", jpeg(redImg, false), red);
    put("red/progressive.jpg", jpeg(redImg, true), red);
    put("red/cmyk.jpg", cmykJpeg(24), red);
    put("red/UPPER.JPG", jpeg(redImg, false), red);
    put("red/long.jpeg", jpeg(redImg, false), red);
    put("red/with space and ünïcödé 花.jpg", jpeg(redImg, false), red);
    put("red/tiny 1x1.png", encode(solid(1, 1, BufferedImage.TYPE_INT_RGB, red), "png"), red);
    put("red/huge.jpg", jpeg(solid(6000, 4000, BufferedImage.TYPE_INT_RGB, red), false), red);
    put("red/alpha.png", encode(solid(30, 30, BufferedImage.TYPE_INT_ARGB, red), "png"), red);
    put("red/png-named.jpg", encode(redImg, "png"), red);
    put("red/still.gif", encode(solid(20, 20, BufferedImage.TYPE_INT_RGB, red), "gif"), red);
    put("red/bitmap.bmp", encode(redImg, "bmp"), red);
    put("red/truncated.jpg", java.util.Arrays.copyOf(jpeg(redImg, false), 200), null);
    put("red/zero.jpg", new byte[0], null);
    put("red/text.jpg", "definitely not an image".getBytes(), null);
    put("red/.DS_Store", new byte[] {0, 1, 2}, null);
    put("red/Thumbs.db", new byte[] {0, 1, 2}, null);
    put("red/webp.webp", Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA"), null);

    BufferedImage gray16 = new BufferedImage(30, 30, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r16 = gray16.getRaster();
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 30; x++) {
        r16.setSample(x, y, 0, 40000);
      }
    }
    Color gray = new Color(155, 155, 155);
    put("blue/gray16.png", encode(gray16, "png"), gray);
    put("blue/grayscale.jpg", jpeg(solid(30, 30, BufferedImage.TYPE_BYTE_GRAY, gray), false), gray);
    put("blue/animated.gif", animatedGif(), Color.BLUE); // the first frame
    // A left half blue, right half white photo stored sideways: upright, the top is blue.
    BufferedImage sideways = solid(40, 40, BufferedImage.TYPE_INT_RGB, Color.WHITE);
    Graphics2D g = sideways.createGraphics();
    g.setColor(blue);
    g.fillRect(0, 0, 20, 40);
    g.dispose();
    put("blue/exif-rotated.jpg", withExifOrientation(jpeg(sideways, false), 6), null);
    Files.createDirectories(root.resolve("blue/folder.jpg"));
    put("blue/folder.jpg/inside.png", encode(solid(10, 10, BufferedImage.TYPE_INT_RGB, blue), "png"), blue);
    Files.createSymbolicLink(root.resolve("blue/dangling.jpg"), root.resolve("missing.jpg"));
    Files.createSymbolicLink(root.resolve("blue/loop"), root.resolve("blue"));
    Files.createDirectories(root.resolve("empty_class"));
    put("stray.jpg", jpeg(redImg, false), null);
  }

  @Test
  void everyFileIsDecodedOrSkippedWithAReason() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      ImageFolder folder = DatasetScan.scan(root);
      assertEquals(List.of("blue", "red"), folder.classNames());
      List<String> warnings = new ArrayList<>();
      Map<String, float[]> decoded = new HashMap<>();
      try (BatchLoader loader = new BatchLoader(folder.images(), new LoaderConfig(S, 4, 1, 2, 2, false, false, null),
          warnings::add)) {
        for (Batch b : loader.epoch(0, 0)) {
          for (int i = 0; i < b.size(); i++) {
            float[] img = new float[S * S * 3];
            System.arraycopy(b.images(), i * S * S * 3, img, 0, img.length);
            decoded.put(b.paths().get(i).getFileName().toString(), img);
          }
        }
        assertEquals(2, loader.skippedCount(), warnings.toString());
      }
      for (var e : EXPECTED.entrySet()) {
        float[] img = decoded.get(e.getKey());
        assertTrue(img != null, e.getKey() + " was not decoded; warnings: " + warnings);
        float[] centre = pixel(img, S / 2, S / 2);
        Color c = e.getValue();
        assertEquals(c.getRed(), centre[0], 25, e.getKey() + " red");
        assertEquals(c.getGreen(), centre[1], 25, e.getKey() + " green");
        assertEquals(c.getBlue(), centre[2], 25, e.getKey() + " blue");
      }
      // Upright, the blue half of the sideways photo is on top.
      float[] rotated = decoded.get("exif-rotated.jpg");
      assertTrue(pixel(rotated, S / 2, 3)[2] > 200 && pixel(rotated, S / 2, 3)[0] < 80, "top is blue");
      assertTrue(pixel(rotated, S / 2, S - 4)[0] > 200, "bottom is white");

      List<String> reasons = new ArrayList<>();
      folder.skipped().forEach(s -> reasons.add(s.path().getFileName() + ": " + s.reason()));
      warnings.forEach(reasons::add);
      assertTrue(reasons.stream().anyMatch(s -> s.startsWith("zero.jpg: empty file")), reasons.toString());
      assertTrue(reasons.stream().anyMatch(s -> s.startsWith("webp.webp: unsupported format (webp)")), reasons.toString());
      assertTrue(reasons.stream().anyMatch(s -> s.startsWith("dangling.jpg: broken symbolic link")), reasons.toString());
      assertTrue(reasons.stream().anyMatch(s -> s.startsWith("loop: symbolic link loop")), reasons.toString());
      assertTrue(reasons.stream().anyMatch(s -> s.startsWith("stray.jpg: not inside a class folder")), reasons.toString());
      assertTrue(reasons.stream().anyMatch(s -> s.startsWith("empty_class: empty class folder")), reasons.toString());
      assertTrue(warnings.stream().anyMatch(s -> s.contains("truncated.jpg")), warnings.toString());
      assertTrue(warnings.stream().anyMatch(s -> s.contains("text.jpg") && s.contains("not a JPEG")), warnings.toString());
      assertTrue(reasons.stream().noneMatch(s -> s.contains("DS_Store") || s.contains("Thumbs")), reasons.toString());
    });
  }

  /**
   * The data check decodes with the decoder training uses, so it lists exactly the files training
   * would skip, each once, with training's reason; and it reads every size from the header, the
   * 6000×4000 JPEG included, without decoding it at full size.
   */
  @Test
  void theDataCheckNamesEveryFileTrainingSkipsAndNoOther() {
    ImageFolder folder = DatasetScan.scan(root);
    DataCheck check = DataCheck.run(folder, SplitRule.CURRENT, 0.2, 1, 2, null);
    List<String> warnings = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(folder.images(), new LoaderConfig(S, 4, 1, 2, 2, false, false, null),
        warnings::add)) {
      loader.epoch(0, 0).forEach(b -> {});
    }
    List<String> expected = new ArrayList<>();
    folder.skipped().forEach(s -> expected.add(s.path() + ": " + s.reason()));
    warnings.forEach(w -> expected.add(w.substring("skipping ".length())));
    List<String> found = check.unreadable().stream().map(s -> s.path() + ": " + s.reason()).toList();
    assertEquals(expected.stream().sorted().toList(), found.stream().sorted().toList());
    assertEquals(found.size(), check.report().unreadable().size());
    // The loader never meets what the check left out of the split.
    assertEquals(folder.images().size() - 2, check.folder().images().size());
    assertEquals(check.split().train().size() + check.split().val().size(), check.folder().images().size());
    var sizes = check.report().imageSizes();
    assertEquals(1, sizes.width().min());
    assertEquals(6000, sizes.width().max());
    assertEquals(4000, sizes.height().max());
    assertEquals(1.5, sizes.aspectRatio().max(), 1e-9);
    // Byte-identical copies are one group; flat solid pictures are not near duplicates of each other.
    assertTrue(check.exactGroups().stream().anyMatch(g -> g.members().stream()
        .map(m -> m.path().getFileName().toString()).toList().containsAll(List.of("baseline.jpg", "UPPER.JPG", "long.jpeg"))));
    assertTrue(check.acrossClasses().isEmpty(), check.acrossClasses().toString());
  }

  /** Under LC_ALL=C the JDK cannot name non-ASCII paths from strings; listed paths must still open. */
  @Test
  void nonAsciiNamesStillDecodeUnderTheCLocale() throws Exception {
    int expected = DatasetScan.scan(root).images().size();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        LoaderProbe.class.getName(), root.toString()).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    pb.environment().remove("LANG");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(out.contains("decoded " + (expected - 2) + " failed 2"), out);
  }

  static float[] pixel(float[] img, int x, int y) {
    int i = (y * S + x) * 3;
    return new float[] {img[i], img[i + 1], img[i + 2]};
  }
}
