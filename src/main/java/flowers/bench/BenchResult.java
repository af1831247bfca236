package flowers.bench;

/**
 * What {@code bench --json} writes (snake_case keys). Rates are medians over timed steps, warm-up
 * excluded.
 *
 * <p>Where it ran first ({@link Machine}): {@code cpu_family} and {@code cpu_model} are the numbers
 * of {@code /proc/cpuinfo}, {@code cpu_name} its model name; oneDNN's version and ISA, and the
 * kernels it runs the seed's conv1 with.
 *
 * @param trainImgPerS training steps fed from tensors already in memory
 * @param trainE2eImgPerS training steps fed by the real loader from the dataset folder
 * @param inferImgPerS forward passes at the batch size
 * @param latencyMs one image file through the {@code predict} path (decode + forward), median,
 *     in fp32 ({@code predict}'s default)
 * @param latencyBf16Ms the same with {@code predict --precision bf16}; null (left out) unless the
 *     bench ran in bf16
 * @param precision the arithmetic training and batch inference ran in, as the bf16 check decided
 * @param bf16Check the check's one line; null (left out) when fp32 was asked for
 * @param peakRssMb the process's peak resident memory
 * @param rssGrowthMb resident memory after the long inference loop minus before it
 * @param buildS graph build plus session start and the first step
 * @param gflopsPerS achieved forward+backward rate, taking training as 3× the forward FLOPs
 */
public record BenchResult(
    String cpuName,
    int cpuFamily,
    int cpuModel,
    int cpuStepping,
    int cores,
    String onednnVersion,
    String onednnIsa,
    String conv1Fp32Kernel,
    String conv1Bf16Kernel,
    int imageSize,
    int batchSize,
    int steps,
    int threads,
    String precision,
    String bf16Check,
    String device,
    double buildS,
    double trainImgPerS,
    double trainE2eImgPerS,
    double inferImgPerS,
    double latencyMs,
    Double latencyBf16Ms,
    double peakRssMb,
    double rssGrowthMb,
    double gflopsPerS) {}
