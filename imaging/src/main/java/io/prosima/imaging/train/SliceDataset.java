package io.prosima.imaging.train;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.ImageFormatException;
import io.prosima.imaging.io.PngImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MRI slices of {@code data/mri/human-t1-axial}: 256x256 8-bit PNGs listed in {@code
 * manifest.csv}. Split by slice index as data/README.md prescribes (neighbouring slices are
 * correlated, so contiguous blocks are held out): validation = indices 120-149 and 230-259.
 */
public final class SliceDataset {
  /** A slice with its index in the source volume. */
  public record Slice(String file, int index, GrayImage image) {}

  /** Side of every slice. */
  public static final int SLICE_PX = 256;

  private final List<Slice> train;
  private final List<Slice> validation;

  private SliceDataset(List<Slice> train, List<Slice> validation) {
    this.train = List.copyOf(train);
    this.validation = List.copyOf(validation);
  }

  /** A dataset from slices already in memory (tests, other sources); images must be 256x256. */
  public static SliceDataset of(List<Slice> train, List<Slice> validation) {
    for (Slice s : train) {
      check(s);
    }
    for (Slice s : validation) {
      check(s);
    }
    if (train.isEmpty() || validation.isEmpty()) {
      throw new IllegalArgumentException("need at least one training and one validation slice");
    }
    return new SliceDataset(train, validation);
  }

  private static void check(Slice s) {
    if (s.image().width() != SLICE_PX || s.image().height() != SLICE_PX) {
      throw new IllegalArgumentException(s.file() + " is not " + SLICE_PX + "x" + SLICE_PX);
    }
  }

  public static boolean isValidationIndex(int index) {
    return (index >= 120 && index <= 149) || (index >= 230 && index <= 259);
  }

  /** Loads {@code dir/manifest.csv} and every slice it lists. */
  public static SliceDataset load(Path dir) throws IOException {
    Path manifest = dir.resolve("manifest.csv");
    if (!Files.isRegularFile(manifest)) {
      throw new IOException(dir + " has no manifest.csv (expected data/mri/human-t1-axial)");
    }
    List<String> lines = Files.readAllLines(manifest);
    if (lines.isEmpty() || !lines.get(0).startsWith("file,")) {
      throw new ImageFormatException(manifest + ": missing header line");
    }
    String[] header = lines.get(0).split(",");
    int fileCol = indexOf(header, "file", manifest);
    int indexCol = indexOf(header, "index", manifest);
    List<Slice> train = new ArrayList<>();
    List<Slice> validation = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cols = line.split(",");
      int index;
      try {
        index = Integer.parseInt(cols[indexCol].trim());
      } catch (RuntimeException e) {
        throw new ImageFormatException(manifest + ": bad line: " + line);
      }
      GrayImage image = PngImages.read(dir.resolve(cols[fileCol].trim()));
      if (image.width() != SLICE_PX || image.height() != SLICE_PX) {
        throw new ImageFormatException(cols[fileCol] + " is not " + SLICE_PX + "x" + SLICE_PX);
      }
      Slice slice = new Slice(cols[fileCol].trim(), index, image);
      (isValidationIndex(index) ? validation : train).add(slice);
    }
    if (train.isEmpty() || validation.isEmpty()) {
      throw new IOException(dir + ": the split left no training or no validation slices");
    }
    return new SliceDataset(train, validation);
  }

  private static int indexOf(String[] header, String name, Path manifest)
      throws ImageFormatException {
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().equals(name)) {
        return i;
      }
    }
    throw new ImageFormatException(manifest + ": no column " + name);
  }

  public List<Slice> train() {
    return train;
  }

  public List<Slice> validation() {
    return validation;
  }
}
