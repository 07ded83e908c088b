package io.prosima.node.cli;

import io.prosima.node.image.ImageInput;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which image of a file to read: the NIfTI slice and DICOM frame, as `image reconstruct` takes. */
final class ImageInputOptions {
  @Option(
      names = "--axis",
      defaultValue = "2",
      description = "NIfTI slice axis 0..2 (default ${DEFAULT-VALUE}).")
  int axis;

  @Option(
      names = "--slice",
      defaultValue = "-1",
      description = "NIfTI slice index (default: middle).")
  int slice;

  @Option(
      names = "--frame",
      defaultValue = "1",
      description = "DICOM frame of a multi-frame file, counted from 1 (default ${DEFAULT-VALUE}).")
  int frame;

  ImageInput read(Path file) throws IOException {
    if (axis < 0 || axis > 2) {
      throw new IllegalArgumentException("--axis must be 0, 1 or 2");
    }
    return ImageInput.read(file, axis, slice, frame);
  }
}
