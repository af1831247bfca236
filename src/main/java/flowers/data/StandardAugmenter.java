package flowers.data;

import java.util.Random;

/**
 * Random horizontal flip, random resized crop and small colour jitter, on the decoded square
 * image. The crop is resampled back to full size with bilinear interpolation, like the decoder.
 *
 * @param minScale smallest crop area as a share of the image
 * @param minAspect smallest crop width/height; the largest is its inverse
 * @param jitter largest relative change of brightness, contrast and saturation
 */
public record StandardAugmenter(boolean flip, float minScale, float minAspect, float jitter) implements Augmenter {

  public static StandardAugmenter defaults() {
    return new StandardAugmenter(true, 0.5f, 0.75f, 0.2f);
  }

  @Override
  public void apply(float[] img, int offset, int s, Random rnd) {
    if (minScale < 1f) {
      crop(img, offset, s, rnd);
    }
    if (flip && rnd.nextBoolean()) {
      flip(img, offset, s);
    }
    if (jitter > 0) {
      jitter(img, offset, s, rnd);
    }
  }

  private void crop(float[] img, int offset, int s, Random rnd) {
    double area = minScale + rnd.nextDouble() * (1 - minScale);
    double logMin = Math.log(minAspect);
    double aspect = Math.exp(logMin + rnd.nextDouble() * (-2 * logMin));
    double w = Math.min(1, Math.sqrt(area * aspect)) * s;
    double h = Math.min(1, Math.sqrt(area / aspect)) * s;
    double x0 = rnd.nextDouble() * (s - w);
    double y0 = rnd.nextDouble() * (s - h);
    float[] src = new float[s * s * 3];
    System.arraycopy(img, offset, src, 0, src.length);
    for (int y = 0; y < s; y++) {
      double sy = Math.min(s - 1, Math.max(0, y0 + (y + 0.5) * h / s - 0.5));
      int y1 = (int) sy;
      int y2 = Math.min(s - 1, y1 + 1);
      double fy = sy - y1;
      for (int x = 0; x < s; x++) {
        double sx = Math.min(s - 1, Math.max(0, x0 + (x + 0.5) * w / s - 0.5));
        int x1 = (int) sx;
        int x2 = Math.min(s - 1, x1 + 1);
        double fx = sx - x1;
        for (int c = 0; c < 3; c++) {
          double top = src[(y1 * s + x1) * 3 + c] * (1 - fx) + src[(y1 * s + x2) * 3 + c] * fx;
          double bottom = src[(y2 * s + x1) * 3 + c] * (1 - fx) + src[(y2 * s + x2) * 3 + c] * fx;
          img[offset + (y * s + x) * 3 + c] = (float) (top * (1 - fy) + bottom * fy);
        }
      }
    }
  }

  private static void flip(float[] img, int offset, int s) {
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s / 2; x++) {
        int a = offset + (y * s + x) * 3;
        int b = offset + (y * s + s - 1 - x) * 3;
        for (int c = 0; c < 3; c++) {
          float t = img[a + c];
          img[a + c] = img[b + c];
          img[b + c] = t;
        }
      }
    }
  }

  private void jitter(float[] img, int offset, int s, Random rnd) {
    float brightness = 1 + (rnd.nextFloat() * 2 - 1) * jitter;
    float contrast = 1 + (rnd.nextFloat() * 2 - 1) * jitter;
    float saturation = 1 + (rnd.nextFloat() * 2 - 1) * jitter;
    int n = s * s;
    double mean = 0;
    for (int i = 0; i < n * 3; i++) {
      mean += img[offset + i];
    }
    float m = (float) (mean / (n * 3)) * brightness;
    for (int p = 0; p < n; p++) {
      int i = offset + p * 3;
      float r = img[i] * brightness;
      float g = img[i + 1] * brightness;
      float b = img[i + 2] * brightness;
      float gray = 0.299f * r + 0.587f * g + 0.114f * b;
      r = gray + (r - gray) * saturation;
      g = gray + (g - gray) * saturation;
      b = gray + (b - gray) * saturation;
      img[i] = clamp(m + (r - m) * contrast);
      img[i + 1] = clamp(m + (g - m) * contrast);
      img[i + 2] = clamp(m + (b - m) * contrast);
    }
  }

  private static float clamp(float v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }
}
