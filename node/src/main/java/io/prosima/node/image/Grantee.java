package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.KeyFiles;
import io.prosima.genesis.MemberCards;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Identity;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.MemberCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** An identity a data key is wrapped for: its ledger key and its X25519 encryption key. */
public record Grantee(ByteString publicKey, ByteString encryptionKey, String name) {
  /**
   * A grantee named on the command line: its public card ({@code NAME.public.json} from {@code keys
   * generate}, what one site holds of another), a key file (only its public halves are used) or the
   * hex Ed25519 public key of a genesis client. A card counts only for a genesis client whose
   * encryption key it matches: the genesis, not the card, is what every site agreed on.
   */
  public static Grantee parse(String spec, Genesis genesis) {
    Path file = Path.of(spec);
    if (Files.isRegularFile(file) && isCard(file)) {
      MemberCard card;
      try {
        card = MemberCards.read(file);
      } catch (GenesisException e) {
        throw new IllegalArgumentException("grantee card: " + e.getMessage(), e);
      }
      Grantee g =
          inGenesis(card.getEd25519PublicKey(), genesis)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "grantee card "
                              + file
                              + " ("
                              + card.getName()
                              + ") is not a client in the genesis"));
      if (!g.encryptionKey().equals(card.getX25519PublicKey())) {
        throw new IllegalArgumentException(
            "grantee card "
                + file
                + " has another encryption key than the genesis holds for "
                + g.name()
                + "; refusing to wrap the data key for it");
      }
      return g;
    }
    if (Files.isRegularFile(file)) {
      try {
        KeyFile k = KeyFiles.read(file);
        return new Grantee(k.getEd25519PublicKey(), k.getX25519PublicKey(), k.getName());
      } catch (GenesisException e) {
        throw new IllegalArgumentException("grantee key file: " + e.getMessage(), e);
      }
    }
    ByteString key;
    try {
      key = ByteString.copyFrom(HexFormat.of().parseHex(spec));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "grantee '" + spec + "' is neither a key file nor a hex public key");
    }
    for (Identity c : genesis.getClientsList()) {
      if (c.getPublicKey().equals(key)) {
        return new Grantee(c.getPublicKey(), c.getEncryptionKey(), c.getName());
      }
    }
    throw new IllegalArgumentException(
        "grantee " + spec + " is not a client in the genesis; pass its key file instead");
  }

  /** A public card, not a key file: it names no private key (cards are small JSON files). */
  private static boolean isCard(Path file) {
    try {
      if (Files.size(file) > MemberCards.CARD_BYTES_MAX) {
        return false;
      }
      String json = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
      return json.contains("\"signature\"")
          && !json.contains("PrivateKey")
          && !json.contains("private_key");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  public static Grantee of(KeyFile key) {
    return new Grantee(key.getEd25519PublicKey(), key.getX25519PublicKey(), key.getName());
  }

  /** Finds a genesis client by Ed25519 key (for re-granting after a rekey). */
  public static java.util.Optional<Grantee> inGenesis(ByteString key, Genesis genesis) {
    return genesis.getClientsList().stream()
        .filter(c -> c.getPublicKey().equals(key))
        .findFirst()
        .map(c -> new Grantee(c.getPublicKey(), c.getEncryptionKey(), c.getName()));
  }
}
