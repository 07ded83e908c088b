package io.prosima.imaging.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.testsupport.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngImagesTest {
  @Test
  void sixteenBitPngRoundTripsWithinOneStep(@TempDir Path tmp) throws Exception {
    float[] px = new float[64 * 32];
    for (int i = 0; i < px.length; i++) {
      px[i] = i / (float) px.length;
    }
    GrayImage img = new GrayImage(64, 32, px);
    Path f = tmp.resolve("a.png");
    PngImages.write16(img, f);
    GrayImage back = PngImages.read(f);
    assertEquals(64, back.width());
    assertEquals(32, back.height());
    for (int i = 0; i < px.length; i++) {
      assertEquals(px[i], back.pixels()[i], 0.5 / 65535 + 1e-7);
    }
  }

  @Test
  void eightBitPngIsScaledTo0To1(@TempDir Path tmp) throws Exception {
    GrayImage img = new GrayImage(2, 1, new float[] {0f, 1f});
    Path f = tmp.resolve("b.png");
    PngImages.write8(img, f);
    GrayImage back = ImageReaders.read(f);
    assertEquals(0f, back.get(0, 0));
    assertEquals(1f, back.get(1, 0));
  }

  @Test
  void aRealMriSlicePngIs256By256(@TempDir Path tmp) throws Exception {
    Path slice = SharedData.resolve("mri/human-t1-axial/ch2better_ax_120.png");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(slice), "no shared data");
    GrayImage img = ImageReaders.read(slice);
    assertEquals(256, img.width());
    assertEquals(256, img.height());
  }

  @Test
  void garbageIsRefusedWithTheFileName(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("junk.png");
    Files.write(f, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6});
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageReaders.read(f));
    assertTrue(e.getMessage().contains("junk.png"), e.getMessage());
  }

  @Test
  void aTinyPngClaiming46000By46000IsRefusedFromItsHeader(@TempDir Path tmp) throws Exception {
    Path f = HostileFiles.png(tmp, "huge.png", 46000, 46000, 8, 0);
    assertTrue(Files.size(f) < 200);
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> PngImages.read(f));
    assertTrue(e.getMessage().contains("46000x46000 exceeds the limit"), e.getMessage());
  }

  @Test
  void imageDataTooSmallToInflateToTheClaimedSizeIsRefused(@TempDir Path tmp) throws Exception {
    Path f = HostileFiles.png(tmp, "big.png", 8192, 8192, 16, 0);
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> PngImages.read(f));
    assertTrue(e.getMessage().contains("too little to inflate"), e.getMessage());
  }

  @Test
  void colourAndPalettePngsAreRefusedByColourType(@TempDir Path tmp) throws Exception {
    for (int type : new int[] {2, 3, 4, 6}) {
      Path f = HostileFiles.png(tmp, "c" + type + ".png", 16, 16, 8, type);
      ImageFormatException e = assertThrows(ImageFormatException.class, () -> PngImages.read(f));
      assertTrue(e.getMessage().contains("colour type " + type), e.getMessage());
    }
  }

  @Test
  void aChunkRunningPastTheEndOfTheFileIsRefused(@TempDir Path tmp) throws Exception {
    GrayImage img = new GrayImage(64, 32, new float[64 * 32]);
    Path f = tmp.resolve("cut.png");
    PngImages.write8(img, f);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 20));
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> PngImages.read(f));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
