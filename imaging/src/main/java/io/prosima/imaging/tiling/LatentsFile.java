package io.prosima.imaging.tiling;

import io.prosima.imaging.io.ImageFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Per-tile latents z* in a small text file, one line per tile in index order: {@code <index>
 * <scale> <int8 values as hex>}. Lets `prosima image reconstruct --latents` use fingerprints
 * fetched from the chain (or saved at ingest with {@code --save-latents}) instead of E of the
 * corrupted input.
 */
public final class LatentsFile {
  /** Most tiles a file may hold (the tile grid's own limit). */
  public static final int TILES_MAX =
      (TileGrid.PADDED_SIDE_PX_MAX / TileGrid.TILE_PX)
          * (TileGrid.PADDED_SIDE_PX_MAX / TileGrid.TILE_PX);

  private LatentsFile() {}

  public static void write(List<QuantizedLatent> latents, Path file) throws IOException {
    StringBuilder sb = new StringBuilder("# prosima latents v1: index scale int8-hex\n");
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < latents.size(); i++) {
      QuantizedLatent q = latents.get(i);
      sb.append(i)
          .append(' ')
          .append(String.format(Locale.ROOT, "%s", Float.toString(q.scale())))
          .append(' ')
          .append(hex.formatHex(q.values()))
          .append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
  }

  public static List<QuantizedLatent> read(Path file) throws IOException {
    List<QuantizedLatent> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] parts = t.split("\\s+");
      try {
        if (parts.length != 3 || Integer.parseInt(parts[0]) != out.size()) {
          throw new IllegalArgumentException("expected '<" + out.size() + "> <scale> <hex>'");
        }
        out.add(new QuantizedLatent(HexFormat.of().parseHex(parts[2]), Float.parseFloat(parts[1])));
      } catch (IllegalArgumentException e) {
        throw new ImageFormatException(
            file + ":" + lineNo + ": bad latent line: " + e.getMessage());
      }
      if (out.size() > TILES_MAX) {
        throw new ImageFormatException(file + ": more than " + TILES_MAX + " latents");
      }
    }
    return out;
  }
}
