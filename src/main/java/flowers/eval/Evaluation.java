package flowers.eval;

import flowers.data.Batch;
import flowers.data.BatchLoader;
import flowers.tf.Tensors;
import java.nio.file.Path;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/** Runs labelled batches through a network's probabilities and tallies them. */
public final class Evaluation {
  private Evaluation() {}

  /** Probabilities {@code [count, C]} for {@code count} images packed NHWC in {@code pixels}. */
  public interface Model {
    float[] probabilities(float[] pixels, int count);
  }

  /** Sees each example's probabilities: {@code classes} values from {@code offset}. */
  public interface ExampleListener {
    void accept(Path path, int label, float[] probabilities, int offset);
  }

  /** A session's network as a {@link Model}. */
  public static Model of(Session session, Operand<TFloat32> images, Operand<TFloat32> probabilities, int imageSize) {
    return of(session, images, probabilities, imageSize, null);
  }

  /** @param training fed false when not null: batch norm then uses its moving averages */
  public static Model of(Session session, Operand<TFloat32> images, Operand<TFloat32> probabilities, int imageSize,
      Operand<TBool> training) {
    return (pixels, count) -> {
      try (TFloat32 x = Tensors.images(pixels, count, imageSize);
          TBool evaluating = TBool.scalarOf(false)) {
        Session.Runner runner = session.runner().feed(images, x).fetch(probabilities);
        if (training != null) {
          runner.feed(training, evaluating);
        }
        try (Result r = runner.run()) {
          return Tensors.toArray((TFloat32) r.get(0));
        }
      }
    };
  }

  /** One pass over {@code loader}'s batches (its epoch 0). */
  public static void run(Model model, BatchLoader loader, ConfusionMatrix cm, ExampleListener listener) {
    int classes = cm.classNames().size();
    for (Batch b : loader.epoch(0, 0)) {
      float[] p = model.probabilities(b.images(), b.size());
      loader.recycle(b);
      for (int i = 0; i < b.size(); i++) {
        int label = b.labels()[i];
        cm.add(label, p, i * classes);
        cm.addLoss(-Math.log(Math.max(p[i * classes + label], 1e-12f)));
        if (listener != null) {
          listener.accept(b.paths().get(i), label, p, i * classes);
        }
      }
    }
  }
}
