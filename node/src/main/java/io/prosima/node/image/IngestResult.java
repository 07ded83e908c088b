package io.prosima.node.image;

/**
 * What one image's ingest did. Stage times are wall-clock milliseconds of this image's own work;
 * {@code commitWaitMs} is from submitting the anchor and grants until the node answered that they
 * committed.
 */
public record IngestResult(
    String imageId,
    Outcome outcome,
    String merkleRootHex,
    int tiles,
    long imageBytes,
    long storedBytes,
    double readMs,
    double tileHashMs,
    double encoderMs,
    double encryptMs,
    double erasureMs,
    double uploadMs,
    double commitWaitMs) {

  public enum Outcome {
    /** Fragments stored, anchor and grants committed now. */
    ANCHORED,
    /** Anchored earlier by us; missing grants (if any) committed now. */
    COMPLETED,
    /** Already complete: nothing to do. */
    ALREADY_DONE
  }

  /** Everything but the commit wait. */
  public double workMs() {
    return readMs + tileHashMs + encoderMs + encryptMs + erasureMs + uploadMs;
  }
}
