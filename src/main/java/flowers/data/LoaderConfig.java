package flowers.data;

/**
 * @param threads decoding threads, each with a TF decoder of its own
 * @param prefetchBatches how many batches may be decoded ahead of the consumer
 * @param shuffle a new order every epoch (training); off = file order (evaluation)
 * @param augmenter applied to every image after decoding; null = none
 */
public record LoaderConfig(int imageSize, int batchSize, long seed, int threads, int prefetchBatches, boolean shuffle,
    boolean dropLast, Augmenter augmenter) {

  public LoaderConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (threads < 1 || prefetchBatches < 1) {
      throw new IllegalArgumentException("need at least one loader thread and one prefetched batch");
    }
  }
}
