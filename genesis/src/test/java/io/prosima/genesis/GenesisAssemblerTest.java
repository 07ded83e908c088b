package io.prosima.genesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.MemberCard;
import io.prosima.proto.wire.Ed25519Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-site keys (issue 17, item 1) and genesis assembly from their public cards (item 2). */
class GenesisAssemblerTest {
  private static final long TIME_MS = 1_780_000_000_000L;
  private static final long SEED = 42;

  @TempDir Path dir;

  /** Four validators in two regions and two clients, each made in its own site folder. */
  private List<SiteLayout.Generated> sites() throws Exception {
    List<SiteLayout.Generated> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(
          SiteLayout.generate(
              dir.resolve("site-v" + i),
              "hospital-" + (char) ('a' + i) + "-node",
              MemberCards.VALIDATOR,
              i % 2 == 0 ? "eu" : "us",
              "10.0.0." + (i + 1) + ":26656",
              "10.0.0." + (i + 1) + ":26657",
              new SecureRandom()));
    }
    out.add(
        SiteLayout.generate(
            dir.resolve("site-h"), "hospital-a", "hospital", "", "", "", new SecureRandom()));
    out.add(
        SiteLayout.generate(
            dir.resolve("site-x"), "auditor-1", "auditor", "", "", "", new SecureRandom()));
    return out;
  }

  private static List<MemberCard> cards(List<SiteLayout.Generated> sites) throws Exception {
    List<MemberCard> cards = new ArrayList<>();
    for (SiteLayout.Generated s : sites) {
      cards.add(MemberCards.read(s.cardFile()));
    }
    return cards;
  }

  private static String assembledJson(List<MemberCard> cards) throws Exception {
    Genesis g = new GenesisAssembler("consortium-1", TIME_MS, SEED).assemble(cards);
    return com.google.protobuf.util.JsonFormat.printer().print(g);
  }

  @Test
  void aSiteKeyIsOwnerOnlyAndItsCardCarriesNoPrivateMaterial() throws Exception {
    SiteLayout.Generated v = sites().get(0);
    assertEquals(dir.resolve("site-v0").resolve(ChainLayout.NODE_KEY_FILE), v.keyFile());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(v.keyFile())));
    KeyFile key = KeyFiles.read(v.keyFile());
    assertTrue(key.getValidator());
    String card = Files.readString(v.cardFile(), StandardCharsets.UTF_8);
    assertFalse(card.toLowerCase().contains("private"), card);
    for (ByteString secret : List.of(key.getEd25519PrivateKey(), key.getX25519PrivateKey())) {
      assertFalse(card.contains(Base64.getEncoder().encodeToString(secret.toByteArray())));
    }
    assertEquals(key.getEd25519PublicKey(), v.card().getEd25519PublicKey());
    assertEquals(key.getX25519PublicKey(), v.card().getX25519PublicKey());
    Path hospitalKey = dir.resolve("site-h").resolve("hospital-a.key.json");
    assertEquals("hospital-a", KeyFiles.read(hospitalKey).getName());
  }

  @Test
  void generatingAgainIntoTheSameFolderIsRefusedAndKeepsTheFirstKey() throws Exception {
    SiteLayout.Generated first = sites().get(0);
    byte[] before = Files.readAllBytes(first.keyFile());
    GenesisException e =
        assertThrows(
            GenesisException.class,
            () ->
                SiteLayout.generate(
                    dir.resolve("site-v0"),
                    "other",
                    MemberCards.VALIDATOR,
                    "eu",
                    "10.0.0.9:1",
                    "10.0.0.9:2",
                    new SecureRandom()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(first.keyFile())));
    assertFalse(Files.exists(dir.resolve("site-v0").resolve("other.public.json")));
  }

  @Test
  void addressesAreRequiredForValidatorsAndRefusedForOthers() {
    GenesisException missing =
        assertThrows(
            GenesisException.class,
            () ->
                SiteLayout.generate(
                    dir, "v", MemberCards.VALIDATOR, "eu", "", "h:2", new SecureRandom()));
    assertTrue(missing.getMessage().contains("p2p address"), missing.getMessage());
    GenesisException extra =
        assertThrows(
            GenesisException.class,
            () -> SiteLayout.generate(dir, "h", "hospital", "eu", "", "", new SecureRandom()));
    assertTrue(extra.getMessage().contains("only validators"), extra.getMessage());
    GenesisException role =
        assertThrows(
            GenesisException.class,
            () -> SiteLayout.generate(dir, "h", "nurse", "", "", "", new SecureRandom()));
    assertTrue(role.getMessage().contains("unknown role"), role.getMessage());
    assertTrue(dir.toFile().list().length == 0, "nothing written");
  }

  @Test
  void theSameCardsInAnyOrderAssembleTheSameGenesisByteForByte() throws Exception {
    List<MemberCard> cards = cards(sites());
    String first = assembledJson(cards);
    Random shuffle = new Random(7);
    for (int i = 0; i < 5; i++) {
      List<MemberCard> other = new ArrayList<>(cards);
      Collections.shuffle(other, shuffle);
      assertEquals(first, assembledJson(other));
    }
    Genesis g = new GenesisAssembler("consortium-1", TIME_MS, SEED).assemble(cards);
    assertEquals(List.of("eu", "us"), g.getRegionsList().stream().map(r -> r.getName()).toList());
    assertEquals(4, g.getValidatorsCount());
    assertEquals("hospital-a-node", g.getValidators(0).getName());
    assertEquals("10.0.0.1:26656", g.getValidators(0).getP2PAddress());
    assertEquals(
        List.of("hospital-a", "auditor-1"),
        g.getClientsList().stream().map(c -> c.getName()).toList());
    assertEquals(SEED, g.getTopologySeed());
    assertEquals(TIME_MS, g.getGenesisTimeMs());
  }

  @Test
  void aCardChangedAfterSigningIsRefused() throws Exception {
    List<SiteLayout.Generated> sites = sites();
    SiteLayout.Generated v = sites.get(1);
    Path file = v.cardFile();
    String json = Files.readString(file);
    Files.writeString(file, json.replace("10.0.0.2:26656", "10.0.0.66:26656"));
    GenesisException e = assertThrows(GenesisException.class, () -> MemberCards.read(file));
    assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

    MemberCard other = sites.get(2).card();
    MemberCard swappedKey =
        v.card().toBuilder().setX25519PublicKey(other.getX25519PublicKey()).build();
    GenesisException e2 =
        assertThrows(
            GenesisException.class,
            () -> new GenesisAssembler("c", TIME_MS, SEED).assemble(List.of(swappedKey, other)));
    assertTrue(e2.getMessage().contains("signature does not verify"), e2.getMessage());
  }

  @Test
  void aKeyFileSentInsteadOfACardIsRefusedWithoutQuotingIt() throws Exception {
    SiteLayout.Generated v = sites().get(0);
    GenesisException e = assertThrows(GenesisException.class, () -> MemberCards.read(v.keyFile()));
    assertTrue(e.getMessage().contains("holds a private key"), e.getMessage());
  }

  @Test
  void duplicateMembersAreRefused() throws Exception {
    List<SiteLayout.Generated> sites = sites();
    List<MemberCard> cards = cards(sites);
    List<MemberCard> twice = new ArrayList<>(cards);
    twice.add(cards.get(3));
    GenesisException e =
        assertThrows(
            GenesisException.class, () -> new GenesisAssembler("c", TIME_MS, SEED).assemble(twice));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());

    // Same key, new name: re-signed by the real key, so only the duplicate rule can catch it.
    KeyFile key = KeyFiles.read(sites.get(0).keyFile());
    List<MemberCard> sameKey = new ArrayList<>(cards);
    sameKey.add(MemberCards.of(key.toBuilder().setName("copy").build(), "eu", "h:1", "h:2"));
    sameKey.add(
        MemberCards.of(
            key.toBuilder().setName("copy-2").build(), "eu", "10.9.9.9:1", "10.9.9.9:2"));
    GenesisException e2 =
        assertThrows(
            GenesisException.class,
            () -> new GenesisAssembler("c", TIME_MS, SEED).assemble(sameKey));
    assertTrue(e2.getMessage().contains("public key another member"), e2.getMessage());
  }

  @Test
  void signedButIncompleteOrUnknownCardsAreRefused() throws Exception {
    KeyFile key = KeyFiles.read(sites().get(0).keyFile());
    MemberCard noAddress =
        signed(key, MemberCards.of(key, "eu", "h:1", "h:2").toBuilder().clearP2PAddress().build());
    assertRefused(List.of(noAddress), "needs a p2p address");
    MemberCard unknownRole =
        signed(key, MemberCards.of(key, "eu", "h:1", "h:2").toBuilder().setRole("owner").build());
    assertRefused(List.of(unknownRole), "unknown role 'owner'");
    KeyFile hospital = KeyFiles.read(dir.resolve("site-h").resolve("hospital-a.key.json"));
    assertRefused(List.of(MemberCards.of(hospital, "", "", "")), "none of the 1 members");
  }

  @Test
  void genesisInitIsAnAssemblyOfItsOwnKeysCards() throws Exception {
    GenesisBuilder.Result chain =
        new GenesisBuilder()
            .validators(11)
            .regions(3)
            .topologySeed(5)
            .genesisTimeMs(TIME_MS)
            .build(new SecureRandom());
    List<MemberCard> cards = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      var v = chain.genesis().getValidators(i);
      assertEquals("validator-" + i, v.getName(), "init keeps its numbered order");
      cards.add(
          MemberCards.of(
              chain.validatorKeys().get(i), v.getRegion(), v.getP2PAddress(), v.getGrpcAddress()));
    }
    for (KeyFile k : chain.clientKeys()) {
      cards.add(MemberCards.of(k, "", "", ""));
    }
    Collections.reverse(cards);
    assertEquals(
        chain.genesis(),
        new GenesisAssembler(chain.genesis().getChainId(), TIME_MS, 5).assemble(cards));
  }

  private static MemberCard signed(KeyFile key, MemberCard card) {
    byte[] sig =
        Ed25519Keys.sign(
            key.getEd25519PrivateKey().toByteArray(),
            key.getEd25519PublicKey().toByteArray(),
            MemberCards.signingBytes(card));
    return card.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  private static void assertRefused(List<MemberCard> cards, String expected) {
    GenesisException e =
        assertThrows(
            GenesisException.class, () -> new GenesisAssembler("c", TIME_MS, SEED).assemble(cards));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
