package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImageCipherStatsCommandTest {
  @TempDir Path dir;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = ProsimaCli.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void aGrayscalePngGetsNpcrUaciEntropyAndCorrelationWithThresholds() throws Exception {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.getRaster().setSample(x, y, 0, (x + y) * 2);
      }
    }
    Path png = dir.resolve("ramp.png");
    ImageIO.write(img, "png", png.toFile());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "image", "cipher-stats", png.toString()), err.toString());
    String text = out.toString();
    for (String want :
        new String[] {"compared:", "NPCR %", "UACI %", "entropy", "correlation diagonal"}) {
      assertTrue(text.contains(want), "missing " + want + " in:\n" + text);
    }
  }

  @Test
  void aColourPngIsRefusedWithOneLineAndANonZeroExit() throws Exception {
    Path png = dir.resolve("rgb.png");
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(1, run(out, err, "image", "cipher-stats", png.toString()));
    assertTrue(err.toString().contains("not an 8- or 16-bit grayscale image"), err.toString());
  }
}
