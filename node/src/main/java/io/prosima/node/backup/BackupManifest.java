package io.prosima.node.backup;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first entry of a backup file, {@code manifest.json}: which chain and height the backup holds,
 * and the size and SHA-256 of every file after it, so a restore refuses a corrupt or foreign backup
 * before it writes anything a node would open.
 *
 * @param genesisHash hex of the genesis state hash ({@code prosima genesis hash})
 * @param blockId hex of the block id at {@code height}; empty at height 0
 */
record BackupManifest(
    String format,
    String chainId,
    String genesisHash,
    long height,
    String blockId,
    List<BackupManifest.FileEntry> files) {
  static final String FORMAT = "prosima-backup/v1";

  /** One file of the database copy; {@code path} is relative to the ledger directory. */
  record FileEntry(String path, long bytes, String sha256) {}

  byte[] toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", format);
    o.addProperty("chain_id", chainId);
    o.addProperty("genesis_hash", genesisHash);
    o.addProperty("height", height);
    o.addProperty("block_id", blockId);
    JsonArray fs = new JsonArray();
    for (FileEntry f : files) {
      JsonObject e = new JsonObject();
      e.addProperty("path", f.path());
      e.addProperty("bytes", f.bytes());
      e.addProperty("sha256", f.sha256());
      fs.add(e);
    }
    o.add("files", fs);
    return (o + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Parses a manifest; any missing or mistyped field is a {@link BackupException}. */
  static BackupManifest fromJson(byte[] json) throws BackupException {
    try {
      JsonObject o =
          JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
      String format = string(o, "format");
      if (!FORMAT.equals(format)) {
        throw new BackupException(
            "backup format is '" + format + "', this node reads '" + FORMAT + "'");
      }
      List<FileEntry> files = new ArrayList<>();
      for (JsonElement e : o.getAsJsonArray("files")) {
        JsonObject f = e.getAsJsonObject();
        files.add(
            new FileEntry(string(f, "path"), f.get("bytes").getAsLong(), string(f, "sha256")));
      }
      return new BackupManifest(
          format,
          string(o, "chain_id"),
          string(o, "genesis_hash"),
          o.get("height").getAsLong(),
          string(o, "block_id"),
          List.copyOf(files));
    } catch (RuntimeException e) {
      throw new BackupException("backup manifest is not valid: " + e.getMessage(), e);
    }
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive()) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    return e.getAsString();
  }
}
