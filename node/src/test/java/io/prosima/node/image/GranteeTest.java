package io.prosima.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.KeyFiles;
import io.prosima.genesis.MemberCards;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.MemberCard;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a data key may be wrapped for, as named on the command line. */
class GranteeTest {
  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private KeyFile clinic;

  @BeforeEach
  void chain() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("grantees")
            .validators(1)
            .regions(1)
            .clients(2, 1, 1)
            .basePort(20_000)
            .build(new SecureRandom());
    clinic = chain.clientKeys().get(1);
  }

  private Path card(MemberCard card) throws Exception {
    Path file = dir.resolve(card.getName() + ".public.json");
    MemberCards.write(file, card);
    return file;
  }

  @Test
  void anotherSitesPublicCardNamesItsGenesisIdentity() throws Exception {
    // What a site holds of another: the card it sent to the consortium (world-readable).
    Path file = card(MemberCards.of(clinic, "", "", ""));

    Grantee g = Grantee.parse(file.toString(), chain.genesis());

    assertEquals(clinic.getEd25519PublicKey(), g.publicKey());
    assertEquals(clinic.getX25519PublicKey(), g.encryptionKey());
  }

  @Test
  void aCardOfSomeoneOutsideTheGenesisIsRefused() throws Exception {
    KeyFile stranger = MemberCards.newKey("stranger", MemberCards.HOSPITAL, new SecureRandom());
    Path file = card(MemberCards.of(stranger, "", "", ""));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Grantee.parse(file.toString(), chain.genesis()));
    assertTrue(e.getMessage().contains("not a client in the genesis"), e.getMessage());
  }

  @Test
  void aCardWithAnotherEncryptionKeyThanGenesisIsRefused() throws Exception {
    // A genesis client's signing key with someone else's encryption key: the data key would be
    // wrapped for whoever made the card.
    KeyFile other = MemberCards.newKey("clinic", MemberCards.HOSPITAL, new SecureRandom());
    KeyFile forged =
        clinic.toBuilder()
            .setX25519PublicKey(other.getX25519PublicKey())
            .setX25519PrivateKey(other.getX25519PrivateKey())
            .build();
    Path file = card(MemberCards.of(forged, "", "", ""));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Grantee.parse(file.toString(), chain.genesis()));
    assertTrue(e.getMessage().contains("another encryption key"), e.getMessage());
  }

  @Test
  void aKeyFileStillNamesItsPublicHalves() throws Exception {
    Path file = dir.resolve("clinic.key.json");
    KeyFiles.write(file, clinic);

    Grantee g = Grantee.parse(file.toString(), chain.genesis());

    assertEquals(clinic.getEd25519PublicKey(), g.publicKey());
  }
}
