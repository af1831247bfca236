package flowers.data;

/**
 * Seeds for {@link java.util.Random} from a few numbers (a run's seed, a class, an image, an
 * epoch). {@code Random} is a linear congruential generator: seeds that differ by a small number
 * give nearly the same first draw. Built from {@code seed·c + index}, every image of a class drew
 * the same first value, so the synthetic set gave each class one background, a shortcut a network
 * learns and another {@code --seed} reshuffles. Each part therefore goes through SplitMix64's
 * finalizer, after which every bit of the seed depends on every bit of every part.
 */
public final class Seeds {
  private Seeds() {}

  public static long mix(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long p : parts) {
      h = finalizer(h + p * 0xBF58476D1CE4E5B9L);
    }
    return h;
  }

  private static long finalizer(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
