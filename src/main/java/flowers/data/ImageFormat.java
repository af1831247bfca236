package flowers.data;

/**
 * What an image file really is, from its first bytes. Users rename files and phones save HEIC or
 * WebP under any name, so the decoder trusts the content, not the extension; this class turns "TF
 * cannot read it" into a reason a user can act on.
 */
enum ImageFormat {
  JPEG(true), PNG(true), GIF(true), BMP(true),
  // Formats TF 2.18's DecodeImage does not read (TF Java 1.1.0 has no DecodeWebP op either).
  WEBP(false), TIFF(false), HEIC(false), AVIF(false),
  UNKNOWN(false);

  /** Whether {@code tf.image.decodeImage} reads it. */
  final boolean decodable;

  ImageFormat(boolean decodable) {
    this.decodable = decodable;
  }

  /** Bytes needed by {@link #sniff}. */
  static final int HEADER_BYTES = 12;

  static ImageFormat sniff(byte[] b) {
    if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (starts(b, 0, 0x89, 'P', 'N', 'G')) {
      return PNG;
    }
    if (starts(b, 0, 'G', 'I', 'F', '8')) {
      return GIF;
    }
    if (starts(b, 0, 'B', 'M')) {
      return BMP;
    }
    if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    if (starts(b, 0, 'I', 'I', 42, 0) || starts(b, 0, 'M', 'M', 0, 42)) {
      return TIFF;
    }
    if (starts(b, 4, 'f', 't', 'y', 'p')) { // ISO base media file: the brand says which
      String brand = b.length >= 12 ? new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
      if (brand.startsWith("avi")) {
        return AVIF;
      }
      if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
        return HEIC;
      }
    }
    return UNKNOWN;
  }

  /** The decode failure reason for a format TF cannot read. */
  String unsupportedReason() {
    return this == UNKNOWN
        ? "not a JPEG, PNG, GIF or BMP image"
        : "unsupported format (" + name().toLowerCase(java.util.Locale.ROOT) + "): convert it to JPEG or PNG";
  }

  private static boolean starts(byte[] b, int at, int... magic) {
    if (b.length < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[at + i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
