package flowers.train;

import java.time.Duration;

/**
 * What a {@code train} run did.
 *
 * @param stoppedBy why the run ended; its {@link StopReason#label() label} is what {@code train} prints
 * @param runId the run trained: the one resumed, or a new one
 * @param previousRun where this run's start moved the folder's previous run; null if it moved none
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
    StopReason stoppedBy,
    String runId,
    java.nio.file.Path previousRun) {}
