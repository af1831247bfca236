package flowers.testing;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** What people do to a photo before it lands in a folder twice: re-encode, resize, crop. */
public final class ImageCopies {
  private ImageCopies() {}

  public static BufferedImage scale(BufferedImage img, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(img, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Cuts the given shares of the width/height off the left, top, right and bottom. */
  public static BufferedImage crop(BufferedImage img, double left, double top, double right, double bottom) {
    int w = img.getWidth();
    int h = img.getHeight();
    int x0 = (int) Math.round(w * left);
    int y0 = (int) Math.round(h * top);
    int x1 = w - (int) Math.round(w * right);
    int y1 = h - (int) Math.round(h * bottom);
    BufferedImage out = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(img.getSubimage(x0, y0, x1 - x0, y1 - y0), 0, 0, null);
    g.dispose();
    return out;
  }

  public static byte[] jpeg(BufferedImage img, float quality) {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      w.setOutput(out);
      w.write(null, new IIOImage(img, null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      w.dispose();
    }
    return bytes.toByteArray();
  }

  public static byte[] png(BufferedImage img) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The edits a near-duplicate check should survive, by name: re-encoded, resized, slightly
   * cropped. The measuring tools in {@code flowers.tools} run each on every image.
   */
  public static java.util.Map<String, byte[]> edits(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    java.util.Map<String, byte[]> variants = new java.util.LinkedHashMap<>();
    variants.put("jpeg q70", jpeg(img, 0.7f));
    variants.put("jpeg q50", jpeg(img, 0.5f));
    variants.put("png", png(img));
    variants.put("resize 75%", jpeg(scale(img, w * 3 / 4, h * 3 / 4), 0.85f));
    variants.put("resize 50%", jpeg(scale(img, w / 2, h / 2), 0.85f));
    variants.put("crop 2% each side", jpeg(crop(img, 0.02, 0.02, 0.02, 0.02), 0.85f));
    variants.put("crop 3% each side", jpeg(crop(img, 0.03, 0.03, 0.03, 0.03), 0.85f));
    variants.put("crop 5% each side", jpeg(crop(img, 0.05, 0.05, 0.05, 0.05), 0.85f));
    return variants;
  }

  /** The files under {@code root}, hidden ones left out, in path order, at most {@code max}. */
  public static java.util.List<java.nio.file.Path> files(java.nio.file.Path root, int max) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(root)) {
      return s.filter(java.nio.file.Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().limit(max).toList();
    }
  }
}
