package flowers.data;

/**
 * EXIF orientation of JPEGs from cameras and phones, which store pixels sideways and a tag saying
 * how to turn them. TF's decoder ignores the tag; a photo classifier must not.
 */
final class Orientation {
  private Orientation() {}

  /** The EXIF orientation (1–8) of a JPEG, or 1 when absent or not a JPEG. */
  static int ofJpeg(byte[] b) {
    if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
      return 1;
    }
    int i = 2;
    while (i + 4 <= b.length && (b[i] & 0xff) == 0xFF) {
      int marker = b[i + 1] & 0xff;
      int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
      if (marker == 0xDA || length < 2) {
        return 1; // start of scan: no EXIF before the pixels
      }
      if (marker == 0xE1 && i + 10 <= b.length && b[i + 4] == 'E' && b[i + 5] == 'x' && b[i + 6] == 'i' && b[i + 7] == 'f') {
        return fromTiff(b, i + 10, Math.min(b.length, i + 2 + length));
      }
      i += 2 + length;
    }
    return 1;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) {
      return 1;
    }
    boolean little = b[tiff] == 'I';
    int ifd = tiff + u32(b, tiff + 4, little);
    if (ifd + 2 > end || ifd < tiff) {
      return 1;
    }
    int entries = u16(b, ifd, little);
    for (int e = 0; e < entries; e++) {
      int entry = ifd + 2 + 12 * e;
      if (entry + 12 > end) {
        return 1;
      }
      if (u16(b, entry, little) == 0x0112) {
        int v = u16(b, entry + 8, little);
        return v >= 1 && v <= 8 ? v : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int i, boolean little) {
    return little ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 : (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  private static int u32(byte[] b, int i, boolean little) {
    return little
        ? u16(b, i, true) | u16(b, i + 2, true) << 16
        : u16(b, i, false) << 16 | u16(b, i + 2, false);
  }

  /**
   * Turns a square {@code [s,s,3]} image upright in place. Resizing to a square commutes with
   * these turns, so applying them after the resize is the same as before it.
   */
  static void apply(int orientation, float[] img, int offset, int s) {
    if (orientation <= 1 || orientation > 8) {
      return;
    }
    float[] src = new float[s * s * 3];
    System.arraycopy(img, offset, src, 0, src.length);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        long from = source(orientation, x, y, s, s);
        int d = offset + (y * s + x) * 3;
        int f = ((int) from * s + (int) (from >>> 32)) * 3;
        img[d] = src[f];
        img[d + 1] = src[f + 1];
        img[d + 2] = src[f + 2];
      }
    }
  }

  /**
   * Where in the stored image the upright pixel (x, y) comes from, for EXIF orientation 2–8 and an
   * upright image {@code w} wide and {@code h} tall (5–8 store it {@code h} wide): {@code sx << 32 | sy}.
   */
  static long source(int orientation, int x, int y, int w, int h) {
    int sx;
    int sy;
    switch (orientation) {
      case 2 -> { sx = w - 1 - x; sy = y; }
      case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
      case 4 -> { sx = x; sy = h - 1 - y; }
      case 5 -> { sx = y; sy = x; }
      case 6 -> { sx = y; sy = w - 1 - x; }
      case 7 -> { sx = h - 1 - y; sy = w - 1 - x; }
      case 8 -> { sx = h - 1 - y; sy = x; }
      default -> { sx = x; sy = y; }
    }
    return (long) sx << 32 | sy;
  }
}
