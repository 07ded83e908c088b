package io.prosima.genesis;

import io.prosima.proto.v1.KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where `genesis init --out DIR` puts things: DIR/genesis.json, one node home per validator
 * (DIR/validator-i/ with genesis.json and node-key.json) and DIR/clients/NAME.key.json.
 */
public final class ChainLayout {
  public static final String GENESIS_FILE = "genesis.json";
  public static final String NODE_KEY_FILE = "node-key.json";
  public static final String CLIENTS_DIR = "clients";

  private ChainLayout() {}

  public static Path nodeHome(Path out, KeyFile validatorKey) {
    return out.resolve(validatorKey.getName());
  }

  public static Path clientKey(Path out, String name) {
    return out.resolve(CLIENTS_DIR).resolve(name + ".key.json");
  }

  /** Writes the genesis and all keys; refuses to overwrite an existing chain directory. */
  public static void write(Path out, GenesisBuilder.Result chain)
      throws IOException, GenesisException {
    if (Files.exists(out.resolve(GENESIS_FILE))) {
      throw new GenesisException(
          out.resolve(GENESIS_FILE) + " already exists; refusing to overwrite");
    }
    GenesisFiles.write(out.resolve(GENESIS_FILE), chain.genesis());
    for (KeyFile key : chain.validatorKeys()) {
      Path home = nodeHome(out, key);
      Files.createDirectories(home);
      GenesisFiles.write(home.resolve(GENESIS_FILE), chain.genesis());
      KeyFiles.write(home.resolve(NODE_KEY_FILE), key);
    }
    for (KeyFile key : chain.clientKeys()) {
      KeyFiles.write(clientKey(out, key.getName()), key);
    }
  }
}
