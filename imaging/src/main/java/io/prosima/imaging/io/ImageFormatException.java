package io.prosima.imaging.io;

import java.io.IOException;

/** Input that is not a supported, well-formed image; the message names the file and the fault. */
public final class ImageFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
