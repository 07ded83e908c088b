package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.consensus.execution.StateHash;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.proto.v1.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `keys generate`, `genesis assemble` and `genesis hash` as a consortium runs them: each site makes
 * its key in its own folder and sends only its card; every site assembles the same genesis.
 */
class CrossSiteCommandsTest {
  private static final String TIME = "2027-01-15T09:00:00Z";

  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** Four validator sites (two regions) and a hospital; returns their cards' paths. */
  private List<Path> makeSites() {
    List<Path> cards = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = "site-" + i;
      CliRun r =
          run(
              "keys",
              "generate",
              "--name",
              name,
              "--role",
              "validator",
              "--out",
              dir.resolve(name).toString(),
              "--region",
              i < 2 ? "eu-west" : "eu-north",
              "--p2p-address",
              "node" + i + ".example.org:26656",
              "--grpc-address",
              "node" + i + ".example.org:26657");
      assertEquals(0, r.code(), r.err());
      cards.add(dir.resolve(name).resolve(name + ".public.json"));
    }
    CliRun h =
        run(
            "keys",
            "generate",
            "--name",
            "hospital-x",
            "--role",
            "hospital",
            "--out",
            dir.resolve("hospital-x").toString());
    assertEquals(0, h.code(), h.err());
    cards.add(dir.resolve("hospital-x").resolve("hospital-x.public.json"));
    return cards;
  }

  private CliRun assemble(Path out, List<Path> cards, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "genesis",
                "assemble",
                "--chain-id",
                "consortium",
                "--genesis-time",
                TIME,
                "--topology-seed",
                "2027",
                "--out",
                out.toString()));
    for (Path c : cards) {
      args.add("--member");
      args.add(c.toString());
    }
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void keysGeneratePrintsOnlyThePublicCardAndKeepsTheKeyOwnerOnly() throws Exception {
    Path site = dir.resolve("a");
    CliRun r =
        run(
            "keys",
            "generate",
            "--name",
            "auditor-a",
            "--role",
            "auditor",
            "--out",
            site.toString());
    assertEquals(0, r.code(), r.err());
    Path keyFile = site.resolve("auditor-a.key.json");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    KeyFile key = KeyFiles.read(keyFile);
    assertEquals(Files.readString(site.resolve("auditor-a.public.json")), r.out());
    for (String printed : List.of(r.out(), r.err())) {
      assertFalse(printed.toLowerCase().contains("private\""), printed);
      for (var secret : List.of(key.getEd25519PrivateKey(), key.getX25519PrivateKey())) {
        assertFalse(printed.contains(Base64.getEncoder().encodeToString(secret.toByteArray())));
      }
    }
    assertTrue(r.out().contains("\"role\": \"auditor\""), r.out());

    CliRun again =
        run(
            "keys",
            "generate",
            "--name",
            "auditor-a",
            "--role",
            "auditor",
            "--out",
            site.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already exists"), again.err());
    assertEquals(key, KeyFiles.read(keyFile));
  }

  @Test
  void keysGenerateRefusesMissingOrMisplacedValidatorAddresses() {
    CliRun noAddress =
        run(
            "keys",
            "generate",
            "--name",
            "v",
            "--role",
            "validator",
            "--region",
            "eu",
            "--out",
            dir.resolve("v").toString());
    assertEquals(1, noAddress.code());
    assertTrue(noAddress.err().contains("needs --region, --p2p-address"), noAddress.err());
    CliRun hospitalWithAddress =
        run(
            "keys",
            "generate",
            "--name",
            "h",
            "--role",
            "hospital",
            "--p2p-address",
            "h:1",
            "--out",
            dir.resolve("h").toString());
    assertEquals(1, hospitalWithAddress.code());
    assertTrue(hospitalWithAddress.err().contains("for validators"), hospitalWithAddress.err());
    CliRun badRole =
        run("keys", "generate", "--name", "h", "--role", "nurse", "--out", dir.toString());
    assertEquals(1, badRole.code());
    assertTrue(badRole.err().contains("--role must be"), badRole.err());
    assertFalse(Files.exists(dir.resolve("v")) || Files.exists(dir.resolve("h")));
  }

  @Test
  void everySiteAssemblesTheSameGenesisBytesAndHashWhateverTheMemberOrder() throws Exception {
    List<Path> cards = makeSites();
    Path first = dir.resolve("at-site-0.json");
    CliRun a = assemble(first, cards);
    assertEquals(0, a.code(), a.err());
    List<Path> reversed = new ArrayList<>(cards);
    Collections.reverse(reversed);
    Path second = dir.resolve("at-site-3.json");
    assertEquals(0, assemble(second, reversed).code());
    List<Path> rotated = new ArrayList<>(cards);
    Collections.rotate(rotated, 2);
    Path third = dir.resolve("at-site-h.json");
    assertEquals(0, assemble(third, rotated).code());
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(third));

    CliRun h1 = run("genesis", "hash", "--genesis", first.toString());
    CliRun h3 = run("genesis", "hash", "--genesis", third.toString());
    assertEquals(0, h1.code(), h1.err());
    assertEquals(h1.out(), h3.out());
    String hex = HexFormat.of().formatHex(StateHash.genesis(GenesisFiles.read(first)));
    assertEquals(hex + "\n", h1.out());
    assertTrue(a.out().contains("genesis hash " + hex), a.out());
    assertTrue(a.out().contains("4 validators in 2 regions, 1 clients"), a.out());

    // Another seed or time is another chain, and says so in the hash.
    Path other = dir.resolve("other.json");
    assertEquals(0, assemble(other, cards, "--weighting", "equal").code());
    assertFalse(h1.out().equals(run("genesis", "hash", "--genesis", other.toString()).out()));
  }

  @Test
  void aTamperedOrDuplicatedMemberIsRefusedAndNoGenesisIsWritten() throws Exception {
    List<Path> cards = makeSites();
    Path out = dir.resolve("genesis.json");

    Path moved = cards.get(1);
    Files.writeString(
        moved, Files.readString(moved).replace("node1.example.org", "evil.example.org"));
    CliRun tampered = assemble(out, cards);
    assertEquals(1, tampered.code());
    assertTrue(tampered.err().contains("signature does not verify"), tampered.err());
    assertTrue(tampered.err().contains(moved.toString()), tampered.err());
    assertEquals(1, tampered.err().strip().lines().count(), tampered.err());
    assertFalse(Files.exists(out));

    // Another site's key pasted into a card.
    List<Path> good = makeSitesIn("again");
    String key2 =
        Files.readString(good.get(2))
            .replaceAll("(?s).*\"ed25519PublicKey\": \"([^\"]+)\".*", "$1");
    String key3 =
        Files.readString(good.get(3))
            .replaceAll("(?s).*\"ed25519PublicKey\": \"([^\"]+)\".*", "$1");
    Files.writeString(good.get(3), Files.readString(good.get(3)).replace(key3, key2));
    CliRun pasted = assemble(out, good);
    assertEquals(1, pasted.code());
    assertTrue(pasted.err().contains("signature does not verify"), pasted.err());
    assertFalse(Files.exists(out));

    List<Path> twice = new ArrayList<>(makeSitesIn("third"));
    twice.add(twice.get(0));
    CliRun dup = assemble(out, twice);
    assertEquals(1, dup.code());
    assertTrue(dup.err().contains("appears twice"), dup.err());
    assertFalse(Files.exists(out));

    CliRun noValidators = assemble(out, List.of(twice.get(4)));
    assertEquals(1, noValidators.code());
    assertTrue(noValidators.err().contains("needs at least one"), noValidators.err());
    assertFalse(Files.exists(out));
  }

  private List<Path> makeSitesIn(String sub) {
    Path saved = dir;
    dir = dir.resolve(sub);
    try {
      return makeSites();
    } finally {
      dir = saved;
    }
  }
}
