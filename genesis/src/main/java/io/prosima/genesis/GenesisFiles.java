package io.prosima.genesis;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.prosima.proto.v1.Genesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes genesis files (protobuf JSON mapping; byte fields are base64). */
public final class GenesisFiles {
  /** A genesis file larger than this is refused before parsing. */
  public static final long GENESIS_BYTES_MAX = 16L << 20;

  private GenesisFiles() {}

  public static Genesis read(Path file) throws GenesisException {
    String json;
    try {
      long size = Files.size(file);
      if (size > GENESIS_BYTES_MAX) {
        throw new GenesisException(
            "genesis file " + file + " is " + size + " bytes, above " + GENESIS_BYTES_MAX);
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GenesisException("cannot read genesis file " + file + ": " + e.getMessage(), e);
    }
    Genesis.Builder builder = Genesis.newBuilder();
    try {
      // Unknown fields are refused: a typo in a hand-edited genesis must not be ignored silently.
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new GenesisException("genesis file " + file + " is not valid: " + e.getMessage(), e);
    }
    Genesis genesis = builder.build();
    GenesisRules.check(genesis);
    return genesis;
  }

  public static void write(Path file, Genesis genesis) throws GenesisException, IOException {
    GenesisRules.check(genesis);
    String json = JsonFormat.printer().print(genesis) + "\n";
    AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8), false);
  }
}
