package flowers.eval;

import java.nio.file.Path;

/** A validation image the model got wrong, with how sure it was. */
public record Misclassified(Path path, int trueClass, int predictedClass, float probability) {}
