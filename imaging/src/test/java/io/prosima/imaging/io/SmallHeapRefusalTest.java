package io.prosima.imaging.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile headers read in a JVM with a 64 MiB heap: each is refused with a one-line reason and none
 * runs the JVM out of memory, because every reader checks limits and the bytes present before it
 * allocates; a large volume that really is there is still read, because it is streamed.
 */
class SmallHeapRefusalTest {
  static final String HEAP = "-Xmx64m";
  static final long CHILD_WAIT_S_MAX = 120;

  @Test
  void hostileHeadersAreRefusedAndRealLargeFilesAreStreamedInA64MiBHeap(@TempDir Path tmp)
      throws Exception {
    List<Path> files = new ArrayList<>();
    // The 124-byte PNG claiming 46000x46000 (ImageIO used to allocate 2 GiB first).
    files.add(HostileFiles.png(tmp, "huge.png", 46000, 46000, 8, 0));
    // Within the size limits, but 4 KiB of zeros cannot inflate to 128 MiB of samples.
    files.add(HostileFiles.png(tmp, "empty8192.png", 8192, 8192, 16, 0));
    // 2^28 int16 voxels (512 MiB) claimed by a 352-byte file, plain and gzip.
    files.add(HostileFiles.nifti(tmp, "claims.nii", 4096, 4096, 16, 0));
    files.add(HostileFiles.nifti(tmp, "claims.nii.gz", 4096, 4096, 16, 0));
    // A real 80 MiB volume (gzip: about 80 KiB), larger than the heap: streamed, not loaded.
    files.add(HostileFiles.nifti(tmp, "large.nii.gz", 512, 512, 160, 512L * 512 * 160 * 2));

    String explicitLe = "1.2.840.10008.1.2.1";
    String deflated = "1.2.840.10008.1.2.1.99";
    String jpeg = "1.2.840.10008.1.2.4.50";
    // DICOM 8192x8192 whose pixel data claims 128 MiB; 100 bytes follow.
    files.add(
        HostileFiles.dicom(tmp, "claims.dcm", explicitLe, 8192, 8192, 1, 0, 1L << 27, 0, 100));
    // Encapsulated: one fragment claiming 2 GiB - 16; 100 bytes follow.
    files.add(
        HostileFiles.dicom(
            tmp, "fragment.dcm", jpeg, 8192, 8192, 1, 0, 0xFFFFFFFFL, 0x7FFFFFF0L, 100));
    // Deflated: the pixel data claims 128 MiB but the file is a few hundred bytes.
    files.add(HostileFiles.dicom(tmp, "dflclaims.dcm", deflated, 8192, 8192, 1, 0, 1L << 27, 0, 0));
    // Deflated, real: 96 MiB of private zeros (about 100 KiB compressed), then a 64x64 image.
    files.add(HostileFiles.dicom(tmp, "dflbig.dcm", deflated, 64, 64, 1, 96L << 20, 8192, 0, 8192));
    // A real 100 MiB multi-frame file (200 frames of 512x512x16 bits): frame 150 of it.
    Path frames =
        HostileFiles.dicom(
            tmp, "frames.dcm", explicitLe, 512, 512, 200, 0, 200L << 19, 0, 200L << 19);
    files.add(Path.of(frames + "#150"));

    List<String> lines = runProbe(files);

    assertEquals(files.size(), lines.size(), String.join("\n", lines));
    for (String line : lines) {
      assertTrue(!line.startsWith("OOM"), "ran out of memory: " + line);
    }
    assertTrue(
        lines.get(0).startsWith("REFUSED") && lines.get(0).contains("huge.png"), lines.get(0));
    assertTrue(lines.get(0).contains("exceeds the limit"), lines.get(0));
    assertTrue(lines.get(1).contains("too little to inflate"), lines.get(1));
    assertTrue(
        lines.get(2).startsWith("REFUSED") && lines.get(2).contains("truncated"), lines.get(2));
    assertTrue(
        lines.get(3).startsWith("REFUSED") && lines.get(3).contains("truncated"), lines.get(3));
    assertEquals("READ 512x512", lines.get(4));
    assertTrue(
        lines.get(5).startsWith("REFUSED") && lines.get(5).contains("truncated"), lines.get(5));
    assertTrue(
        lines.get(6).startsWith("REFUSED") && lines.get(6).contains("truncated"), lines.get(6));
    assertTrue(lines.get(7).startsWith("REFUSED"), lines.get(7));
    assertEquals("READ 64x64", lines.get(8));
    assertEquals("READ 512x512", lines.get(9));
  }

  /** Runs {@link SmallHeapProbe} on the files in a fresh JVM with a small heap. */
  static List<String> runProbe(List<Path> files) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(HEAP);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SmallHeapProbe.class.getName());
    for (Path f : files) {
      cmd.add(f.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(CHILD_WAIT_S_MAX, TimeUnit.SECONDS), "probe did not exit");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("READ") || line.startsWith("REFUSED") || line.startsWith("OOM")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
