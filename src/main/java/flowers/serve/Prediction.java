package flowers.serve;

/** One class with its probability; lists of these come most probable first. */
public record Prediction(int classId, String className, float probability) {}
