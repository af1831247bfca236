package flowers.train;

import java.time.Duration;

/**
 * What a {@code train} run did.
 *
 * @param stoppedBy {@code epochs}, {@code max-steps}, {@code early-stop} or {@code signal}
 */
public record TrainResult(
    long startStep,
    long step,
    int epochsCompleted,
    double lastLoss,
    double valTop1,
    double bestValTop1,
    String checkpoint,
    int skippedImages,
    double imagesPerSecond,
    Duration elapsed,
    String stoppedBy) {}
