package io.prosima.imaging.tamper;

/** Where a local edit sits relative to the tile grid: the verifier judges tile by tile. */
public enum Placement {
  /** Entirely inside one tile. */
  INSIDE_TILE("inside"),
  /** Straddling at least one tile border (two or four tiles). */
  ACROSS_BORDER("border");

  private final String label;

  Placement(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
