package io.prosima.imaging.io;

import java.nio.file.Path;

/**
 * Run by {@link SmallHeapRefusalTest} in a JVM with a small heap: reads each file named on the
 * command line (a DICOM frame other than the first as {@code path#frame}) and prints one line per
 * file, {@code READ WxH}, {@code REFUSED message} or {@code OOM}. Exits 0 unless an unexpected
 * exception escapes.
 */
public final class SmallHeapProbe {
  private SmallHeapProbe() {}

  public static void main(String[] args) throws Exception {
    for (String a : args) {
      try {
        int hash = a.lastIndexOf('#');
        Path file = Path.of(hash < 0 ? a : a.substring(0, hash));
        int frame = hash < 0 ? 1 : Integer.parseInt(a.substring(hash + 1));
        GrayImage img = ImageReaders.read(file, 2, -1, frame);
        System.out.println("READ " + img.width() + "x" + img.height());
      } catch (ImageFormatException e) {
        System.out.println("REFUSED " + e.getMessage());
      } catch (OutOfMemoryError e) {
        System.out.println("OOM " + a);
      }
    }
  }
}
