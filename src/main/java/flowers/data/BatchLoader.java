package flowers.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Batches of decoded images from background threads, in an order fixed by (seed, epoch).
 *
 * <p>Batch k of an epoch is always the files at positions [kB, (k+1)B) of that epoch's order, so
 * the data seen never depends on the number of threads or on timing, and a resumed run can start
 * at any batch. A file that fails to decode is left out of its batch, with one warning per run.
 * Decoding runs up to {@code prefetchBatches} batches ahead, so the training step does not wait
 * whenever decoding keeps up.
 */
public final class BatchLoader implements AutoCloseable {

  private final List<LabeledImage> images;
  private final LoaderConfig config;
  private final ExecutorService pool;
  private final BlockingQueue<ImageDecoder> decoders;
  private final List<ImageDecoder> allDecoders = new ArrayList<>();
  private final Set<Path> failed = ConcurrentHashMap.newKeySet();
  private final Consumer<String> warn;

  public BatchLoader(List<LabeledImage> images, LoaderConfig config) {
    this(images, config, msg -> System.err.println("warning: " + msg));
  }

  public BatchLoader(List<LabeledImage> images, LoaderConfig config, Consumer<String> warn) {
    this.images = List.copyOf(images);
    this.config = config;
    this.warn = warn;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(config.threads(), r -> {
      Thread t = new Thread(r, "decode-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.decoders = new ArrayBlockingQueue<>(config.threads());
    for (int i = 0; i < config.threads(); i++) {
      ImageDecoder d = new ImageDecoder(config.imageSize());
      allDecoders.add(d);
      decoders.add(d);
    }
  }

  public int size() {
    return images.size();
  }

  public int stepsPerEpoch() {
    int b = config.batchSize();
    return config.dropLast() ? images.size() / b : (images.size() + b - 1) / b;
  }

  /** Files that failed to decode so far. */
  public int skippedCount() {
    return failed.size();
  }

  /** The positions of one epoch: a permutation fixed by (seed, epoch), or file order. */
  int[] order(int epoch) {
    List<Integer> idx = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      idx.add(i);
    }
    if (config.shuffle()) {
      Collections.shuffle(idx, new Random(config.seed() * 1_000_003L + epoch * 7_919L + 17));
    }
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The batches of {@code epoch}, starting at batch {@code startStep}. */
  public Iterable<Batch> epoch(int epoch, int startStep) {
    return () -> new EpochIterator(epoch, startStep);
  }

  private final class EpochIterator implements Iterator<Batch> {
    private final int epoch;
    private final int[] order;
    private final int steps;
    private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    private int nextToSubmit;

    EpochIterator(int epoch, int startStep) {
      this.epoch = epoch;
      this.order = order(epoch);
      this.steps = stepsPerEpoch();
      this.nextToSubmit = Math.max(0, startStep);
      fill();
    }

    private void fill() {
      while (inFlight.size() < config.prefetchBatches() && nextToSubmit < steps) {
        int step = nextToSubmit++;
        inFlight.add(pool.submit(() -> decodeBatch(epoch, step, order)));
      }
    }

    @Override
    public boolean hasNext() {
      return !inFlight.isEmpty();
    }

    @Override
    public Batch next() {
      Future<Batch> head = inFlight.poll();
      if (head == null) {
        throw new NoSuchElementException();
      }
      try {
        Batch b = head.get();
        fill();
        return b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for images", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
      }
    }
  }

  private Batch decodeBatch(int epoch, int step, int[] order) throws InterruptedException {
    int s = config.imageSize();
    int pixels = s * s * 3;
    int from = step * config.batchSize();
    int to = Math.min(order.length, from + config.batchSize());
    float[] data = new float[(to - from) * pixels];
    int[] labels = new int[to - from];
    List<Path> paths = new ArrayList<>(to - from);
    int n = 0;
    ImageDecoder decoder = decoders.take();
    try {
      for (int pos = from; pos < to; pos++) {
        LabeledImage img = images.get(order[pos]);
        try {
          decoder.decodeInto(Files.readAllBytes(img.path()), data, n * pixels);
        } catch (IOException | DecodeException e) {
          if (failed.add(img.path())) {
            warn.accept("skipping " + img.path() + ": " + reason(e));
          }
          continue;
        }
        if (config.augmenter() != null) {
          config.augmenter().apply(data, n * pixels, s, new Random(sampleSeed(epoch, pos)));
        }
        labels[n] = img.label();
        paths.add(img.path());
        n++;
      }
    } finally {
      decoders.add(decoder);
    }
    return new Batch(data, n == labels.length ? labels : Arrays.copyOf(labels, n), n, epoch, step, List.copyOf(paths));
  }

  private long sampleSeed(int epoch, int position) {
    long h = config.seed();
    h = h * 0x9E3779B97F4A7C15L + epoch;
    h = h * 0x9E3779B97F4A7C15L + position;
    return h ^ (h >>> 31);
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "file vanished";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    allDecoders.forEach(ImageDecoder::close);
  }
}
