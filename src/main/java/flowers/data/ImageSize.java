package flowers.data;

/**
 * Width and height of an image as stored, read from its header: a data check wants every file's
 * size, and decoding a 24 MP photo to learn it would cost more than everything else the check does.
 */
record ImageSize(int width, int height) {

  /** The stored size of a JPEG, PNG, GIF or BMP, or null when the header does not say. */
  static ImageSize read(byte[] b) {
    return switch (ImageFormat.sniff(b)) {
      case JPEG -> jpeg(b);
      case PNG -> b.length >= 24 && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R'
          ? positive(be32(b, 16), be32(b, 20)) : null;
      case GIF -> b.length >= 10 ? positive(le16(b, 6), le16(b, 8)) : null;
      // BITMAPINFOHEADER and later: int32 width and height; a negative height means top-down rows.
      case BMP -> b.length >= 26 && le32(b, 14) >= 40 ? positive(le32(b, 18), Math.abs(le32(b, 22))) : null;
      default -> null;
    };
  }

  /** The size a viewer shows: EXIF orientations 5–8 turn the picture a quarter. */
  ImageSize upright(int orientation) {
    return orientation >= 5 && orientation <= 8 ? new ImageSize(height, width) : this;
  }

  /** The frame header (SOF0–SOF15, except the DHT, JPG and DAC markers that share the range). */
  private static ImageSize jpeg(byte[] b) {
    int i = 2;
    while (i + 4 <= b.length) {
      if ((b[i] & 0xff) != 0xFF) {
        return null;
      }
      int marker = b[i + 1] & 0xff;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      int length = be16(b, i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return i + 9 <= b.length ? positive(be16(b, i + 7), be16(b, i + 5)) : null;
      }
      if (marker == 0xDA || length < 2) {
        return null;
      }
      i += 2 + length;
    }
    return null;
  }

  private static ImageSize positive(int w, int h) {
    return w > 0 && h > 0 ? new ImageSize(w, h) : null;
  }

  private static int be16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  private static int be32(byte[] b, int i) {
    return be16(b, i) << 16 | be16(b, i + 2);
  }

  private static int le16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static int le32(byte[] b, int i) {
    return le16(b, i) | le16(b, i + 2) << 16;
  }
}
