package flowers.data;

import flowers.tf.Log;
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
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Batches of decoded images from background threads, in an order fixed by (seed, epoch).
 * Under {@link Sampling#BALANCED} an epoch may hold an image several times, each at its own
 * position and so with its own augmentation.
 *
 * <p>Batch k of an epoch is always the files at positions [kB, (k+1)B) of that epoch's order, so
 * the data seen never depends on the number of threads or on timing, and a resumed run can start
 * at any batch. A file that fails to decode gets one warning per run; a training (shuffled) batch
 * takes the next good files of the epoch in its place, an evaluation batch leaves it out.
 * Decoding runs up to {@code prefetchBatches} batches ahead, so the training step does not wait
 * whenever decoding keeps up.
 *
 * <p>A consumer that is done with a batch's pixels hands them back with {@link #recycle}: the
 * next batch is then decoded into the same array. A batch is ~10 MB at 224 px, batch 16: a
 * humongous allocation for G1, which without reuse piled up to ~115 MB between collections
 * (measured with {@code -Xlog:gc}) and kept the heap's resident size growing.
 */
public final class BatchLoader implements AutoCloseable {

  private final List<LabeledImage> images;
  private final LoaderConfig config;
  private final ExecutorService pool;
  private final BlockingQueue<ImageDecoder> decoders;
  private final List<ImageDecoder> allDecoders = new ArrayList<>();
  private final Set<Path> failed = ConcurrentHashMap.newKeySet();
  private final Consumer<String> warn;
  private final BlockingQueue<float[]> spare;
  /**
   * Arrays handed out in batches and not yet recycled (arrays hash by identity), so recycling twice
   * is harmless; weak, so a batch the consumer keeps or drops is not held here.
   */
  private final Set<float[]> lent = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

  public BatchLoader(List<LabeledImage> images, LoaderConfig config) {
    this(images, config, Log.WARN);
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
    // In flight (prefetchBatches) + the one being used + one being recycled.
    this.spare = new ArrayBlockingQueue<>(config.prefetchBatches() + 2);
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

  /**
   * Takes back the pixel array of a batch this loader made, for a later batch to decode into.
   * The caller must not read {@code batch.images()} afterwards; a batch recycled twice, or not at
   * all, is fine.
   */
  public void recycle(Batch batch) {
    if (lent.remove(batch.images())) {
      spare.offer(batch.images());
    }
  }

  private float[] pixelBuffer() {
    float[] buffer = spare.poll();
    if (buffer == null) {
      buffer = new float[config.batchSize() * config.imageSize() * config.imageSize() * 3];
    }
    lent.add(buffer);
    return buffer;
  }

  /** Files that failed to decode so far. */
  public int skippedCount() {
    return failed.size();
  }

  /** The positions of one epoch: see {@link EpochOrder}. */
  int[] order(int epoch) {
    return EpochOrder.of(images, config, epoch);
  }

  /** The batches of {@code epoch}, starting at batch {@code startStep}. */
  public Iterable<Batch> epoch(int epoch, int startStep) {
    return epochFrom(epoch, Math.max(0, startStep) * config.batchSize());
  }

  /**
   * The batches of {@code epoch} from position {@code firstImage} of its order on: where a run
   * resumed with another batch size goes on. Batch k then holds positions
   * [firstImage + kB, firstImage + (k+1)B), and its {@code stepInEpoch} counts on from the
   * {@code firstImage / B} whole batches before it.
   */
  public Iterable<Batch> epochFrom(int epoch, int firstImage) {
    return () -> new EpochIterator(epoch, firstImage);
  }

  private final class EpochIterator implements Iterator<Batch> {
    private final int epoch;
    private final int[] order;
    private final int first;
    private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    private int nextToSubmit;

    EpochIterator(int epoch, int firstImage) {
      this.epoch = epoch;
      this.order = order(epoch);
      this.first = Math.max(0, firstImage);
      fill();
    }

    private void fill() {
      int b = config.batchSize();
      while (inFlight.size() < config.prefetchBatches()) {
        int from = first + nextToSubmit * b;
        int to = Math.min(order.length, from + b);
        if (from >= order.length || (config.dropLast() && to - from < b)) {
          return;
        }
        int step = first / b + nextToSubmit++;
        try {
          inFlight.add(pool.submit(() -> decodeBatch(epoch, step, from, to, order)));
        } catch (RejectedExecutionException e) {
          throw new IllegalStateException("the image loader is closed", e);
        }
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
      } catch (CancellationException e) {
        throw new IllegalStateException("the image loader was closed", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
      }
    }
  }

  private Batch decodeBatch(int epoch, int step, int from, int to, int[] order) throws InterruptedException {
    int s = config.imageSize();
    int pixels = s * s * 3;
    // A cluster worker decodes its own part of the global batch [from, to); positions stay global,
    // so every image gets the augmentation it would get in one process.
    int lo = from + LoaderConfig.shardStart(to - from, config.shard(), config.shards());
    int hi = from + LoaderConfig.shardStart(to - from, config.shard() + 1, config.shards());
    Filling f = new Filling(hi - lo, pixels);
    ImageDecoder decoder = decoders.take();
    try {
      for (int pos = lo; pos < hi; pos++) {
        f.add(decoder, images.get(order[pos]), epoch, pos);
      }
      if (config.shuffle()) {
        // Training keeps its batches full: a failed file's slot goes to the files that follow the
        // batch in this epoch's order (wrapping round). Which files those are depends only on
        // (seed, epoch, step) and on which files fail, never on timing, so resume stays exact.
        // Evaluation (no shuffle) leaves the slot out instead, so no image is counted twice.
        for (int k = 0; f.n < f.labels.length && k < order.length; k++) {
          // Parts of one batch look from different starts, so two workers rarely take the same file.
          int at = to + k + (config.shards() > 1 ? config.shard() * Math.max(1, hi - lo) : 0);
          LabeledImage img = images.get(order[at % order.length]);
          if (!f.paths.contains(img.path())) {
            f.add(decoder, img, epoch, order.length + lo + f.n); // own augmentation, not its twin's
          }
        }
      }
    } finally {
      decoders.add(decoder);
    }
    int[] labels = f.n == f.labels.length ? f.labels : Arrays.copyOf(f.labels, f.n);
    return new Batch(f.data, labels, f.n, epoch, step, List.copyOf(f.paths), to);
  }

  /** One batch being decoded; slots fill in order, a file that fails takes none. */
  private final class Filling {
    final float[] data;
    final int[] labels;
    final List<Path> paths;
    final int pixels;
    int n;

    Filling(int capacity, int pixels) {
      this.data = pixelBuffer();
      this.labels = new int[capacity];
      this.paths = new ArrayList<>(capacity);
      this.pixels = pixels;
    }

    void add(ImageDecoder decoder, LabeledImage img, int epoch, int position) {
      if (failed.contains(img.path())) {
        return; // it failed before and would again: spare the decode (and libjpeg's stderr noise)
      }
      try {
        decoder.decodeInto(read(img.path()), data, n * pixels);
      } catch (IOException | DecodeException e) {
        if (failed.add(img.path())) {
          warn.accept("skipping " + img.path() + ": " + reason(e));
        }
        return;
      }
      if (config.augmenter() != null) {
        config.augmenter().apply(data, n * pixels, config.imageSize(), new Random(sampleSeed(epoch, position)));
      }
      labels[n] = img.label();
      paths.add(img.path());
      n++;
    }
  }

  /**
   * Larger files are not photos (a video renamed .jpg, a disk image): reading one whole would cost
   * an OutOfMemoryError, which no catch in the training loop should have to survive. A 24 MP JPEG
   * is about 10 MB, a 100 MP 16-bit PNG about 600 MB.
   */
  static final long MAX_FILE_BYTES = 1L << 30;

  static byte[] read(Path file) throws IOException, DecodeException {
    long bytes = Files.size(file);
    if (bytes > MAX_FILE_BYTES) {
      throw new DecodeException("file too large for an image (" + (bytes >> 20) + " MB)");
    }
    return Files.readAllBytes(file);
  }

  private long sampleSeed(int epoch, int position) {
    return Seeds.mix(config.seed(), epoch, position);
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "file vanished";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Stops the workers and frees the decoders. Batches not yet started are cancelled, so a consumer
   * waiting on another thread gets an exception instead of waiting for ever; a worker inside a TF
   * decode finishes that one image first.
   */
  @Override
  public void close() {
    for (Runnable queued : pool.shutdownNow()) {
      if (queued instanceof Future<?> future) {
        future.cancel(false);
      }
    }
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    allDecoders.forEach(ImageDecoder::close);
  }
}
