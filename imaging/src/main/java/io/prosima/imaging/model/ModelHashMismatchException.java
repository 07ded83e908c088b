package io.prosima.imaging.model;

import java.io.IOException;

/** A model directory whose weights are not the anchored ones. */
public final class ModelHashMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  public ModelHashMismatchException(String message) {
    super(message);
  }
}
