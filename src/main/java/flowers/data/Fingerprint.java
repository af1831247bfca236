package flowers.data;

/**
 * What the data check knows of one image file.
 *
 * @param sha256 hex SHA-256 of the file's bytes: equal for exact duplicates
 * @param dHash the {@link PerceptualHash} of the upright picture: close for near duplicates
 * @param thumb the {@link Thumbnail} (16×16 grey levels, Base64): correlated to confirm a near duplicate
 * @param width upright width in pixels (0 where unknown)
 * @param height upright height in pixels (0 where unknown)
 * @param edges how many of the 64 neighbour pairs differ clearly in brightness: few means a flat picture
 * @param error why the file cannot be decoded, as training would say it; null when it decodes
 */
public record Fingerprint(String sha256, long dHash, int edges, String thumb, int width, int height, String error) {

  public boolean decodes() {
    return error == null;
  }

  static Fingerprint failed(String sha256, String error) {
    return new Fingerprint(sha256, 0, 0, null, 0, 0, error);
  }
}
