package flowers.tf;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Java arrays to tensors; the caller owns (and closes) what comes back. */
public final class Tensors {
  private Tensors() {}

  /** The first {@code count} images of {@code pixels} (NHWC, RGB 0–255). */
  public static TFloat32 images(float[] pixels, int count, int size) {
    int n = count * size * size * 3;
    return TFloat32.tensorOf(Shape.of(count, size, size, 3), DataBuffers.of(pixels, true, false).narrow(n));
  }

  public static TInt32 labels(int[] labels, int count) {
    return TInt32.tensorOf(Shape.of(count), DataBuffers.of(labels, true, false).narrow(count));
  }

  /** Copies a {@code [n,c]} float tensor into a flat row-major array. */
  public static float[] toArray(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
