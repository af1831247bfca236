package flowers.data;

/**
 * @param threads decoding threads, each with a TF decoder of its own
 * @param prefetchBatches how many batches may be decoded ahead of the consumer
 * @param shuffle a new order every epoch (training); off = file order (evaluation)
 * @param augmenter applied to every image after decoding; null = none
 * @param sampling what a shuffled epoch is made of; ignored without {@code shuffle}
 */
public record LoaderConfig(int imageSize, int batchSize, long seed, int threads, int prefetchBatches, boolean shuffle,
    boolean dropLast, Augmenter augmenter, Sampling sampling) {

  /** Uniform sampling: every image once per epoch. */
  public LoaderConfig(int imageSize, int batchSize, long seed, int threads, int prefetchBatches, boolean shuffle,
      boolean dropLast, Augmenter augmenter) {
    this(imageSize, batchSize, seed, threads, prefetchBatches, shuffle, dropLast, augmenter, Sampling.UNIFORM);
  }

  public LoaderConfig {
    sampling = sampling == null ? Sampling.UNIFORM : sampling;
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (threads < 1 || prefetchBatches < 1) {
      throw new IllegalArgumentException("need at least one loader thread and one prefetched batch");
    }
  }
}
