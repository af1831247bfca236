package flowers.data;

/**
 * @param threads decoding threads, each with a TF decoder of its own
 * @param prefetchBatches how many batches may be decoded ahead of the consumer
 * @param shuffle a new order every epoch (training); off = file order (evaluation)
 * @param augmenter applied to every image after decoding; null = none
 * @param shard which part of every batch this loader decodes, of {@code shards} near-equal parts:
 *     each worker of a cluster decodes its own part of the global batch ({@code batchSize})
 * @param sampling what a shuffled epoch is made of; ignored without {@code shuffle}
 */
public record LoaderConfig(int imageSize, int batchSize, long seed, int threads, int prefetchBatches, boolean shuffle,
    boolean dropLast, Augmenter augmenter, int shard, int shards, Sampling sampling) {

  /** The whole of every batch, every image once per epoch. */
  public LoaderConfig(int imageSize, int batchSize, long seed, int threads, int prefetchBatches, boolean shuffle,
      boolean dropLast, Augmenter augmenter) {
    this(imageSize, batchSize, seed, threads, prefetchBatches, shuffle, dropLast, augmenter, 0, 1, Sampling.UNIFORM);
  }

  /** Part {@code shard} of {@code shards} of every batch. */
  public LoaderConfig withShard(int shard, int shards) {
    return new LoaderConfig(imageSize, batchSize, seed, threads, prefetchBatches, shuffle, dropLast, augmenter, shard,
        shards, sampling);
  }

  public LoaderConfig withSampling(Sampling sampling) {
    return new LoaderConfig(imageSize, batchSize, seed, threads, prefetchBatches, shuffle, dropLast, augmenter, shard,
        shards, sampling);
  }

  /** Where part {@code shard} of a batch of {@code size} images starts: parts differ by one image at most. */
  public static int shardStart(int size, int shard, int shards) {
    return (int) ((long) size * shard / shards);
  }

  public LoaderConfig {
    sampling = sampling == null ? Sampling.UNIFORM : sampling;
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (threads < 1 || prefetchBatches < 1) {
      throw new IllegalArgumentException("need at least one loader thread and one prefetched batch");
    }
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " of " + shards + " does not exist");
    }
  }
}
