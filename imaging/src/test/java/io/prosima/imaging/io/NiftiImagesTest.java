package io.prosima.imaging.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiImagesTest {
  static final Path CH2BETTER = Path.of("/usr/share/mricron/templates/ch2better.nii.gz");

  /** Voxel (i, j, k) of the synthetic volume, stored value before scaling. */
  static int stored(int i, int j, int k) {
    return i + 10 * j + 100 * k - 50;
  }

  /** Writes a 5x4x3 int16 NIfTI-1 volume with scl_slope 2 and scl_inter 1. */
  static Path writeVolume(Path dir, String name, ByteOrder order, boolean gzip) throws IOException {
    int[] d = {5, 4, 3};
    ByteBuffer b = ByteBuffer.allocate(352 + 2 * 60).order(order);
    b.putInt(0, 348);
    b.putShort(40, (short) 3);
    for (int i = 0; i < 3; i++) {
      b.putShort(42 + 2 * i, (short) d[i]);
    }
    b.putShort(48, (short) 1);
    b.putShort(70, (short) 4); // int16
    b.putShort(72, (short) 16);
    b.putFloat(108, 352f);
    b.putFloat(112, 2f);
    b.putFloat(116, 1f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
    int at = 352;
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < 4; j++) {
        for (int i = 0; i < 5; i++) {
          b.putShort(at, (short) stored(i, j, k));
          at += 2;
        }
      }
    }
    Path file = dir.resolve(name);
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(b.array());
    }
    return file;
  }

  @Test
  void slicesOfAWrittenVolumeHaveTheRightValuesOnEveryAxis(@TempDir Path tmp) throws Exception {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      for (boolean gzip : new boolean[] {false, true}) {
        Path f = writeVolume(tmp, "v" + order + gzip + (gzip ? ".nii.gz" : ".nii"), order, gzip);
        assertArrayEquals(new int[] {5, 4, 3}, NiftiImages.dimensions(f));
        GrayImage axial = NiftiImages.readSlice(f, 2, 1);
        assertEquals(5, axial.width());
        assertEquals(4, axial.height());
        assertEquals(2f * stored(3, 2, 1) + 1, axial.get(3, 2));
        GrayImage coronal = NiftiImages.readSlice(f, 1, 3);
        assertEquals(5, coronal.width());
        assertEquals(3, coronal.height());
        assertEquals(2f * stored(4, 3, 2) + 1, coronal.get(4, 2));
        GrayImage sagittal = NiftiImages.readSlice(f, 0, 2);
        assertEquals(4, sagittal.width());
        assertEquals(3, sagittal.height());
        assertEquals(2f * stored(2, 1, 0) + 1, sagittal.get(1, 0));
        assertEquals(axial, ImageReaders.read(f, 2, 1));
      }
    }
  }

  @Test
  void aSliceIndexOutsideTheVolumeIsRefused(@TempDir Path tmp) throws Exception {
    Path f = writeVolume(tmp, "v.nii", ByteOrder.LITTLE_ENDIAN, false);
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> NiftiImages.readSlice(f, 2, 3));
    assertTrue(e.getMessage().contains("outside 0..2"), e.getMessage());
  }

  @Test
  void aTruncatedVolumeIsRefused(@TempDir Path tmp) throws Exception {
    Path f = writeVolume(tmp, "v.nii", ByteOrder.LITTLE_ENDIAN, false);
    byte[] bytes = Files.readAllBytes(f);
    Path cut = tmp.resolve("cut.nii");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> NiftiImages.readSlice(cut, 2, 0));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Files.write(cut, Arrays.copyOf(bytes, 100));
    assertThrows(ImageFormatException.class, () -> NiftiImages.readSlice(cut, 2, 0));
  }

  @Test
  void theMricronColinVolumeReadsConsistentlyAlongAllThreeAxes() throws Exception {
    assumeTrue(
        Files.isRegularFile(CH2BETTER), "skipped: install Debian's mricron-data for " + CH2BETTER);
    // data/README.md: ch2better is 301x370x316 voxels.
    assertArrayEquals(new int[] {301, 370, 316}, NiftiImages.dimensions(CH2BETTER));
    GrayImage axial = NiftiImages.readSlice(CH2BETTER, 2, 150);
    GrayImage coronal = NiftiImages.readSlice(CH2BETTER, 1, 200);
    GrayImage sagittal = NiftiImages.readSlice(CH2BETTER, 0, 140);
    assertEquals(301, axial.width());
    assertEquals(370, axial.height());
    // Voxel (140, 200, 150) seen from three directions.
    float v = axial.get(140, 200);
    assertEquals(v, coronal.get(140, 150));
    assertEquals(v, sagittal.get(200, 150));
    float max = 0;
    for (float p : axial.pixels()) {
      max = Math.max(max, p);
    }
    assertTrue(max > 0, "a mid-brain axial slice is not empty");
  }

  @Test
  void aHeaderClaimingMoreVoxelsThanTheFileHoldsIsRefusedBeforeReading(@TempDir Path tmp)
      throws Exception {
    for (String name : new String[] {"claims.nii", "claims.nii.gz"}) {
      Path f = HostileFiles.nifti(tmp, name, 4096, 4096, 16, 1000);
      ImageFormatException e =
          assertThrows(ImageFormatException.class, () -> NiftiImages.readSlice(f, 2, 0));
      assertTrue(e.getMessage().contains("the header claims 536871264 bytes"), e.getMessage());
    }
  }

  @Test
  void aVolumeOverTheByteLimitIsRefusedFromItsHeader(@TempDir Path tmp) throws Exception {
    Path f = HostileFiles.nifti(tmp, "big.nii", 8192, 8192, 16, 0);
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> NiftiImages.readSlice(f, 2, 0));
    assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
  }

  // Found by NiftiReaderFuzzTest: java.util.zip errors escaped the reader instead of the
  // ImageFormatException every caller handles as "bad file".

  @Test
  void aCorruptDeflateStreamIsAFormatError() throws Exception {
    Path fixture =
        Path.of(NiftiImagesTest.class.getResource("/nifti/corrupt-deflate.nii.gz").toURI());

    assertThrows(ImageFormatException.class, () -> ImageReaders.read(fixture));
    assertThrows(ImageFormatException.class, () -> NiftiImages.readSlice(fixture, 2, 0));
  }

  @Test
  void aTruncatedGzipHeaderIsAFormatError(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("cut.nii.gz");
    Files.write(f, new byte[] {0x1f, (byte) 0x8b, 8});

    assertThrows(ImageFormatException.class, () -> ImageReaders.read(f));
  }

  @Test
  void aGzipMagicWithAnUnknownCompressionMethodIsAFormatError(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("method.nii.gz");
    byte[] bytes = new byte[64];
    bytes[0] = 0x1f;
    bytes[1] = (byte) 0x8b;
    bytes[2] = 7; // only 8 (deflate) exists
    Files.write(f, bytes);

    assertThrows(ImageFormatException.class, () -> ImageReaders.read(f));
  }

  @Test
  void aGzipStreamEndingWithACorruptTrailerIsAFormatError(@TempDir Path tmp) throws Exception {
    // The deflate data ends inside the header, so the reader meets the trailer (CRC, size) there.
    Path whole = writeVolume(tmp, "whole.nii", ByteOrder.LITTLE_ENDIAN, false);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(Arrays.copyOf(Files.readAllBytes(whole), 200));
    }
    byte[] bytes = gz.toByteArray();
    bytes[bytes.length - 8] ^= 1; // the CRC-32
    Path f = tmp.resolve("trailer.nii.gz");
    Files.write(f, bytes);

    assertThrows(ImageFormatException.class, () -> ImageReaders.read(f));
  }

  @Test
  void aGzipVolumeCutAnywhereDecodesTheSameSliceOrIsAFormatError(@TempDir Path tmp)
      throws Exception {
    Path whole = writeVolume(tmp, "whole.nii.gz", ByteOrder.LITTLE_ENDIAN, true);
    GrayImage expected = NiftiImages.readSlice(whole, 2, 2);
    byte[] bytes = Files.readAllBytes(whole);
    for (int n = 0; n < bytes.length; n++) {
      Path cut = tmp.resolve("cut" + n + ".nii.gz");
      Files.write(cut, Arrays.copyOf(bytes, n));
      try {
        // The last slice needs every voxel; only the gzip trailer may be missing.
        assertEquals(expected, NiftiImages.readSlice(cut, 2, 2), "cut at " + n);
      } catch (ImageFormatException refused) {
        assertTrue(refused.getMessage().contains("NIfTI"), refused.getMessage());
      }
    }
  }
}
