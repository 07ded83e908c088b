package io.prosima.testnet.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.genesis.KeyGenerator;
import io.prosima.genesis.MemberCards;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.node.ValidatorOverlay;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.client.TxSigner;
import io.prosima.node.client.ValidatorSetFollower;
import io.prosima.proto.v1.BlockResponse;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 4 on real processes: four validators run; a fifth, made on its own site (its own
 * key, only its public card used), is added by a change approved by the validators; its node starts
 * from genesis, its key and the approved change, syncs, and then signs commit certificates; then a
 * genesis validator is removed, its process stopped, and blocks keep committing throughout. Every
 * node reports the same block at every height.
 */
class TestnetValidatorJoinLeaveTest {
  static final int VALIDATORS = 4;

  @TempDir Path dir;

  private LocalTestnet net;
  private final List<KeyFile> keys = new ArrayList<>();
  private final Set<ByteString> serverKeys = new HashSet<>();
  private long nonce = 1;

  @Test
  void aFifthValidatorJoinsSyncsAndVotesThenOneLeavesAndTheChainNeverStops() throws Exception {
    int base = LocalTestnet.freeBasePort(VALIDATORS + 1);
    net = LocalTestnet.create(dir.resolve("net"), VALIDATORS, 2, base);
    var genesis = net.genesis();
    genesis.getValidatorsList().forEach(v -> serverKeys.add(v.getPublicKey()));
    for (int i = 0; i < VALIDATORS; i++) {
      keys.add(KeyFiles.read(net.home(i).resolve(ChainLayout.NODE_KEY_FILE)));
    }
    // The new site: its key never leaves its folder; the consortium sees only its public card.
    Path site = dir.resolve("validator-new");
    Files.createDirectories(site);
    KeyFile newKey =
        KeyGenerator.newKey("validator-new", Role.ROLE_UNSPECIFIED, true, new SecureRandom());
    KeyFiles.write(site.resolve(ChainLayout.NODE_KEY_FILE), newKey);
    GenesisFiles.write(site.resolve(ChainLayout.GENESIS_FILE), genesis);
    int p2pPort = base + 3 * VALIDATORS;
    var card =
        MemberCards.of(
            newKey,
            genesis.getValidators(0).getRegion(),
            "127.0.0.1:" + p2pPort,
            "127.0.0.1:" + (p2pPort + 1));
    Validator joiner = ValidatorChanges.joining(card);
    serverKeys.add(newKey.getEd25519PublicKey());
    Process joinerProcess = null;
    try {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(90));
      long atStart = height(0);

      // 1. The change adding the fifth validator, linked to validator-0 and validator-1.
      ValidatorChangeBody join =
          ValidatorChangeBody.newBuilder()
              .setSequence(0)
              .setAdd(joiner)
              .addAddEdges(edge(joiner.getName(), genesis.getValidators(0).getName()))
              .addAddEdges(edge(joiner.getName(), genesis.getValidators(1).getName()))
              .build();
      ValidatorChange approvedJoin = approve(join, keys);
      SubmitResponse joined = submit(0, approvedJoin);
      long joinFrom = joined.getHeight() + ValidatorSets.ACTIVATION_DELAY_HEIGHTS;
      Files.writeString(
          site.resolve(ValidatorOverlay.JOIN_FILE),
          JsonFormat.printer().print(approvedJoin),
          StandardCharsets.UTF_8);

      // 2. The new site starts its node: it syncs from genesis, then votes.
      joinerProcess = net.startJoiner(site, "127.0.0.1:" + (p2pPort + 2));
      Process started = joinerProcess;
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> started.isAlive() && heightAt(joiner.getGrpcAddress()) >= joinFrom + 2);
      long signedAt = firstSignedBy(newKey.getEd25519PublicKey(), joinFrom, Duration.ofSeconds(60));
      assertTrue(signedAt >= joinFrom, "the joiner signed before its set was in force");

      var afterJoin = setsAfter(genesis, join, joinFrom);
      // 3. A genesis validator leaves; the change names an edge that keeps the overlay
      //    2-connected when its going alone would not.
      ValidatorChangeBody leave = null;
      int leaver = -1;
      for (int c = VALIDATORS - 1; c >= 2 && leave == null; c--) {
        leave = leaveKeepingTwoConnected(genesis, afterJoin.latest(), c);
        leaver = c;
      }
      assertTrue(leave != null, "no genesis validator can leave this overlay");
      List<KeyFile> approvers = new ArrayList<>(keys);
      approvers.add(newKey);
      SubmitResponse left = submit(0, approve(leave, approvers));
      long leaveFrom = left.getHeight() + ValidatorSets.ACTIVATION_DELAY_HEIGHTS;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> height(0) >= leaveFrom + 1);
      net.stop(leaver);
      assertFalse(net.running(leaver).isPresent());
      long afterStop = height(0);
      int other = leaver == 2 ? 3 : 2;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () ->
                  height(0) >= afterStop + 5
                      && height(1) >= afterStop + 5
                      && height(other) >= afterStop + 5
                      && heightAt(joiner.getGrpcAddress()) >= afterStop + 5);

      // An auditor trusting only genesis follows both changes through their proofs.
      try (NodeClient c =
          new NodeClient(
              genesis.getValidators(0).getGrpcAddress(), net.clientKey("auditor-0"), serverKeys)) {
        var followed = ValidatorSetFollower.follow(genesis, c);
        assertEquals(null, followed.problem());
        assertEquals(2, followed.sets().changes());
        assertEquals(joinFrom, followed.sets().epochs().get(1).fromHeight());
        assertEquals(leaveFrom, followed.sets().latest().fromHeight());
        assertEquals(VALIDATORS + 1, followed.sets().at(joinFrom).size());
        assertEquals(VALIDATORS, followed.sets().at(leaveFrom).size());
        assertTrue(followed.sets().at(leaveFrom).get(newKey.getEd25519PublicKey()).isPresent());
        var leaveTx =
            c.query()
                .getTx(
                    io.prosima.proto.v1.GetTxRequest.newBuilder()
                        .setTxHash(left.getTxHash())
                        .build());
        assertEquals(null, TxProofVerifier.check(leaveTx, genesis, followed.sets()));
      }

      // The chain never stopped, all agree, and each certificate is signed by its height's set.
      long top = height(0);
      assertTrue(top >= atStart + 10, "the chain advanced only from " + atStart + " to " + top);
      ByteString leaverKey = genesis.getValidators(leaver).getPublicKey();
      for (long h = 1; h <= top; h++) {
        BlockResponse b = block(genesis.getValidators(0).getGrpcAddress(), h);
        assertEquals(b.getBlockId(), block(joiner.getGrpcAddress(), h).getBlockId(), "height " + h);
        assertEquals(
            b.getBlockId(),
            block(genesis.getValidators(other).getGrpcAddress(), h).getBlockId(),
            "height " + h);
        for (CommitSignature s : b.getCommit().getSignaturesList()) {
          if (h < joinFrom) {
            assertFalse(s.getValidator().equals(newKey.getEd25519PublicKey()), "height " + h);
          }
          if (h >= leaveFrom) {
            assertFalse(s.getValidator().equals(leaverKey), "leaver signed height " + h);
          }
        }
      }
    } finally {
      if (joinerProcess != null) {
        joinerProcess.destroy();
        if (!joinerProcess.waitFor(10, TimeUnit.SECONDS)) {
          joinerProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      net.stopAll();
    }
  }

  /**
   * The removal of genesis validator {@code c}, with one new edge among the others if needed to
   * keep the overlay 2-connected; null if none does.
   */
  private static ValidatorChangeBody leaveKeepingTwoConnected(
      io.prosima.proto.v1.Genesis genesis, ValidatorSets.Epoch current, int c) {
    ValidatorChangeBody bare =
        ValidatorChangeBody.newBuilder()
            .setSequence(1)
            .setRemove(genesis.getValidators(c).getPublicKey())
            .build();
    List<ValidatorChangeBody> tries = new ArrayList<>(List.of(bare));
    String gone = genesis.getValidators(c).getName();
    List<String> names = new ArrayList<>();
    current.validators().forEach(v -> names.add(v.getName()));
    names.remove(gone);
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        tries.add(bare.toBuilder().addAddEdges(edge(names.get(i), names.get(j))).build());
      }
    }
    for (ValidatorChangeBody t : tries) {
      if (ValidatorChanges.apply(genesis, current, t) instanceof ValidatorChanges.Applied) {
        return t;
      }
    }
    return null;
  }

  private static OverlayEdge edge(String a, String b) {
    return OverlayEdge.newBuilder().setA(a).setB(b).build();
  }

  private ValidatorChange approve(ValidatorChangeBody body, List<KeyFile> approvers) {
    ValidatorChange.Builder c = ValidatorChange.newBuilder().setBody(body);
    for (KeyFile k : approvers) {
      c.addApprovals(ValidatorChanges.approve(net.genesis().getChainId(), body, k));
    }
    return c.build();
  }

  /** Submitted by validator-0 (a validator proposes changes), waiting for the commit. */
  private SubmitResponse submit(int node, ValidatorChange change) throws Exception {
    var tx =
        TxSigner.sign(
            net.genesis().getChainId(),
            keys.get(0),
            nonce++,
            height(node) + 100,
            Payload.newBuilder().setValidatorChange(change).build());
    try (NodeClient c = net.client(node, "auditor-0")) {
      SubmitResponse r =
          c.submit()
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
      assertTrue(r.getCommitted(), r.getCode() + " " + r.getMessage());
      return r;
    }
  }

  /** The sets a node holds once the join committed (by the ledger's own rule). */
  private static ValidatorSets setsAfter(
      io.prosima.proto.v1.Genesis genesis, ValidatorChangeBody join, long from) {
    var applied =
        assertInstanceOf(
            ValidatorChanges.Applied.class,
            ValidatorChanges.apply(genesis, ValidatorSets.genesisOnly(genesis).latest(), join));
    return ValidatorSets.of(
        genesis,
        ValidatorHistory.newBuilder()
            .addEpochs(
                ValidatorEpoch.newBuilder()
                    .setFromHeight(from)
                    .addAllValidators(applied.validators())
                    .addAllOverlay(applied.overlay()))
            .build());
  }

  /** The first height at or after {@code from} whose certificate {@code key} signed. */
  private long firstSignedBy(ByteString key, long from, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String at = net.genesis().getValidators(0).getGrpcAddress();
    for (long h = from; System.nanoTime() < deadline; ) {
      if (height(0) < h) {
        Thread.sleep(200);
        continue;
      }
      for (CommitSignature s : block(at, h).getCommit().getSignaturesList()) {
        if (s.getValidator().equals(key)) {
          return h;
        }
      }
      h++;
    }
    throw new AssertionError("the joined validator signed no certificate from height " + from);
  }

  private long height(int i) throws Exception {
    return heightAt(net.genesis().getValidators(i).getGrpcAddress());
  }

  private long heightAt(String grpc) throws Exception {
    try (NodeClient c = new NodeClient(grpc, net.clientKey("auditor-0"), serverKeys)) {
      return c.query()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getStatus(StatusRequest.getDefaultInstance())
          .getHeight();
    } catch (io.grpc.StatusRuntimeException e) {
      return -1; // not up yet
    }
  }

  private BlockResponse block(String grpc, long h) throws Exception {
    try (NodeClient c = new NodeClient(grpc, net.clientKey("auditor-0"), serverKeys)) {
      return c.query()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getBlock(GetBlockRequest.newBuilder().setHeight(h).build());
    }
  }
}
