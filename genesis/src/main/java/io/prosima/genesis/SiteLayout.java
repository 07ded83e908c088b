package io.prosima.genesis;

import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.MemberCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Where `keys generate --out DIR` puts a site's key: a validator's DIR is its node home
 * (DIR/node-key.json, and DIR/genesis.json once the consortium has assembled it, so `node start
 * --home DIR` runs it); a client's key is DIR/NAME.key.json, for client commands' --key. Either way
 * the public card is DIR/NAME.public.json, the only file that leaves the site.
 */
public final class SiteLayout {
  public static final String PUBLIC_SUFFIX = ".public.json";
  public static final String CLIENT_KEY_SUFFIX = ".key.json";

  private SiteLayout() {}

  /** A site's new key and its card, and where they were written. */
  public record Generated(Path keyFile, Path cardFile, MemberCard card) {}

  public static Path keyFile(Path out, String name, String role) {
    return role.equals(MemberCards.VALIDATOR)
        ? out.resolve(ChainLayout.NODE_KEY_FILE)
        : out.resolve(name + CLIENT_KEY_SUFFIX);
  }

  public static Path cardFile(Path out, String name) {
    return out.resolve(name + PUBLIC_SUFFIX);
  }

  /**
   * Makes a key for {@code name} in {@code role}, writes it (0600) and its signed card into {@code
   * out}. Checks everything first and refuses, writing nothing, when the card would be invalid
   * (region and addresses are required for validators and refused for the others) or a file is
   * already there.
   */
  public static Generated generate(
      Path out,
      String name,
      String role,
      String region,
      String p2pAddress,
      String grpcAddress,
      SecureRandom random)
      throws GenesisException, IOException {
    if (!MemberCards.ROLES.contains(role)) {
      throw new GenesisException(
          "unknown role '" + role + "' (validator, hospital, auditor or admin)");
    }
    KeyFile key = MemberCards.newKey(name, role, random);
    MemberCard card = MemberCards.of(key, region, p2pAddress, grpcAddress);
    Path keyFile = keyFile(out, name, role);
    Path cardFile = cardFile(out, name);
    if (Files.exists(keyFile)) {
      throw new GenesisException("key file " + keyFile + " already exists; refusing to overwrite");
    }
    if (Files.exists(cardFile)) {
      throw new GenesisException(cardFile + " already exists; refusing to overwrite");
    }
    Files.createDirectories(out);
    KeyFiles.writeNew(keyFile, key);
    MemberCards.write(cardFile, card);
    return new Generated(keyFile, cardFile, card);
  }
}
