package flowers.data;

import java.nio.file.Path;

/** A file or folder the scan left out, and why. */
public record Skipped(Path path, String reason) {}
