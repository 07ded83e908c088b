package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.wire.Ed25519Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `validator propose-add` and `validator approve` as sites run them (issue 17): the joining site
 * sends only its public card; each validator site approves the change file with its own key; the
 * result is a change the ledger's rule accepts with approvals that verify.
 */
class ValidatorCommandTest {
  @TempDir Path dir;

  private Path site(int i, String role) {
    String name = "site-" + i;
    List<String> args =
        new ArrayList<>(
            List.of(
                "keys",
                "generate",
                "--name",
                name,
                "--role",
                role,
                "--out",
                dir.resolve(name).toString()));
    if (role.equals("validator")) {
      args.addAll(
          List.of(
              "--region",
              "eu",
              "--p2p-address",
              "node" + i + ".example.org:26656",
              "--grpc-address",
              "node" + i + ".example.org:26657"));
    }
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return dir.resolve(name);
  }

  @Test
  void sitesApproveAProposedJoinAndTheRuleAcceptsTheApprovedChange() throws Exception {
    List<String> assemble =
        new ArrayList<>(
            List.of(
                "genesis",
                "assemble",
                "--chain-id",
                "consortium",
                "--genesis-time",
                "2027-01-15T09:00:00Z",
                "--topology-seed",
                "7",
                "--out",
                dir.resolve("genesis.json").toString()));
    List<Path> sites = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sites.add(site(i, "validator"));
      assemble.addAll(
          List.of("--member", sites.get(i).resolve("site-" + i + ".public.json").toString()));
    }
    assertEquals(0, CliRun.of(assemble.toArray(String[]::new)).code());
    Genesis genesis = GenesisFiles.read(dir.resolve("genesis.json"));
    Path joiner = site(4, "validator");
    Path change = dir.resolve("change.json");

    CliRun proposed =
        CliRun.of(
            "validator",
            "propose-add",
            "--genesis",
            dir.resolve("genesis.json").toString(),
            "--sequence",
            "0",
            "--card",
            joiner.resolve("site-4.public.json").toString(),
            "--link",
            "site-0",
            "--link",
            "site-1",
            "--out",
            change.toString());
    assertEquals(0, proposed.code(), proposed.err());
    for (int i = 0; i < 3; i++) {
      CliRun a =
          CliRun.of(
              "validator",
              "approve",
              "--genesis",
              dir.resolve("genesis.json").toString(),
              "--change",
              change.toString(),
              "--key",
              sites.get(i).resolve("node-key.json").toString());
      assertEquals(0, a.code(), a.err());
    }
    ValidatorChange c = ValidatorCommand.read(change);
    assertEquals(3, c.getApprovalsCount());
    byte[] message = ValidatorChanges.approvalBytes(genesis.getChainId(), c.getBody());
    for (var a : c.getApprovalsList()) {
      assertTrue(
          Ed25519Keys.verify(
              a.getValidator().toByteArray(), message, a.getSignature().toByteArray()));
    }
    var applied =
        assertInstanceOf(
            ValidatorChanges.Applied.class,
            ValidatorChanges.apply(
                genesis, ValidatorSets.genesisOnly(genesis).latest(), c.getBody()));
    assertEquals(5, applied.validators().size());

    // A change altered after approvals were given is refused by the next approver.
    Files.writeString(
        change,
        Files.readString(change, StandardCharsets.UTF_8)
            .replace("\"b\": \"site-1\"", "\"b\": \"site-2\""),
        StandardCharsets.UTF_8);
    assertNotEquals(c.getBody(), ValidatorCommand.read(change).getBody());
    CliRun tampered =
        CliRun.of(
            "validator",
            "approve",
            "--genesis",
            dir.resolve("genesis.json").toString(),
            "--change",
            change.toString(),
            "--key",
            sites.get(3).resolve("node-key.json").toString());
    assertNotEquals(0, tampered.code());
    assertTrue(tampered.err().contains("does not verify"), tampered.err());
  }
}
