package io.prosima.testnet.demo;

import com.google.protobuf.ByteString;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.ListTxsByImageRequest;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.wire.TxCodec;
import io.prosima.testnet.launch.LocalTestnet;
import io.prosima.testnet.launch.NodeStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo on a real local testnet: four validator processes in two regions, image anchors
 * sent to one validator and read back from another with proofs checked offline, a validator killed
 * with SIGKILL while the chain goes on, its return and catch-up, identical blocks everywhere, and
 * what the ledger refuses.
 */
public final class TestnetDemo {
  private static final HexFormat HEX = HexFormat.of();
  static final int VALIDATORS = 4;
  static final int REGIONS = 2;
  static final int VICTIM = 3;

  private final Path dir;
  private final int images;
  private final boolean keep;
  private final PrintStream out;
  private LocalTestnet net;
  private AnchorTxFactory factory;
  private boolean ok = true;

  public TestnetDemo(Path dir, int images, boolean keep, PrintStream out) {
    this.dir = dir;
    this.images = images;
    this.keep = keep;
    this.out = out;
  }

  private static String shortHex(ByteString b) {
    return HEX.formatHex(b.toByteArray()).substring(0, 16) + "…";
  }

  /** Runs the demo; returns false if anything did not behave as it should. */
  public boolean run() throws Exception {
    out.printf(
        "== Prosima demo: a local testnet of %d validators in %d regions, one process each ==%n",
        VALIDATORS, REGIONS);
    net = LocalTestnet.create(dir, VALIDATORS, REGIONS, LocalTestnet.freeBasePort(VALIDATORS));
    factory = new AnchorTxFactory(net.genesis().getChainId());
    out.println("chain written to " + dir + " (genesis.json, validator homes, client keys 0600)");
    for (Validator v : net.genesis().getValidatorsList()) {
      out.printf(
          "  %s  %s  voting weight %d  gRPC %s  p2p %s%n",
          v.getName(), v.getRegion(), v.getVotingWeight(), v.getGrpcAddress(), v.getP2PAddress());
    }
    StringBuilder edges = new StringBuilder();
    net.genesis()
        .getOverlayList()
        .forEach(e -> edges.append(' ').append(e.getA()).append('~').append(e.getB()));
    out.println("  overlay (Barabási–Albert per region, hubs joined):" + edges);
    try {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(90));
      out.println("all validators up (mutual TLS between neighbours; BFT over degree weights)");

      KeyFile hospital0 = net.clientKey("hospital-0");
      KeyFile hospital1 = net.clientKey("hospital-1");
      List<SubmitResponse> first = submit(0, hospital0, 1, images, "mri-slice");
      verifyFrom(2, first);

      out.printf(
          "%nSIGKILL validator-%d (the chain needs > 2/3 of the weight; the rest hold it)%n",
          VICTIM);
      net.kill(VICTIM);
      long atKill = height(0);
      List<SubmitResponse> during = submit(1, hospital1, 1, 4, "ct-slice");
      long afterKill = height(0);
      out.printf(
          "  validator-%d down; the others went from height %d to %d%n", VICTIM, atKill, afterKill);
      ok &= afterKill > atKill;

      out.printf(
          "%nrestart validator-%d: it catches up by block sync (certificates checked)%n", VICTIM);
      long t0 = System.nanoTime();
      net.start(VICTIM);
      net.awaitReady(Duration.ofSeconds(90));
      long target = height(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (height(VICTIM) < target && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long caughtUp = height(VICTIM);
      ok &= caughtUp >= target;
      out.printf(
          "  validator-%d at height %d (target %d) %.1f s after restart%n",
          VICTIM, caughtUp, target, (System.nanoTime() - t0) / 1e9);
      verifyFrom(VICTIM, during);
      sameBlocksEverywhere(caughtUp);

      refusals(first.get(0), hospital0);
      var history =
          client(1, "auditor-0")
              .query()
              .listTxsByImage(
                  ListTxsByImageRequest.newBuilder().setImageId("mri-slice-002").build());
      out.printf(
          "%nprovenance of mri-slice-002: %d transaction(s), first at height %d%n",
          history.getTxsCount(), history.getTxs(0).getHeight());
      closeClients();
    } finally {
      closeClients();
      if (keep) {
        out.println(
            "\ntestnet left running: ./prosima testnet status --dir "
                + dir
                + "   (stop it with ./prosima testnet down --dir "
                + dir
                + ")");
      } else {
        net.stopAll();
        out.println("\ntestnet stopped (data kept in " + dir + ")");
      }
    }
    out.println(ok ? "demo finished: every check behaved as expected" : "demo FAILED: see above");
    return ok;
  }

  private final List<NodeClient> clients = new ArrayList<>();

  private NodeClient client(int node, String name) throws Exception {
    NodeClient c = net.client(node, name);
    clients.add(c);
    return c;
  }

  private void closeClients() {
    clients.forEach(NodeClient::close);
    clients.clear();
  }

  private List<SubmitResponse> submit(
      int node, KeyFile key, long firstNonce, int count, String prefix) throws Exception {
    List<Transaction> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(
          factory.anchorTx(key, firstNonce + i, 1_000, String.format("%s-%03d", prefix, i + 1)));
    }
    out.printf(
        "%n%s submits %d ImageAnchor transactions to validator-%d (tile fingerprints + Merkle root)%n",
        key.getName(), count, node);
    SubmitBatchResponse r =
        client(node, key.getName())
            .submit()
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .submitBatch(
                SubmitBatchRequest.newBuilder().addAllTxs(batch).setWaitForCommit(true).build());
    long lo = Long.MAX_VALUE;
    long hi = 0;
    for (SubmitResponse s : r.getResultsList()) {
      if (!s.getCommitted()) {
        out.println("  NOT committed: " + s.getCode() + " " + s.getMessage());
        ok = false;
      }
      lo = Math.min(lo, s.getHeight());
      hi = Math.max(hi, s.getHeight());
    }
    out.printf("  all %d committed, at heights %d..%d%n", r.getResultsCount(), lo, hi);
    return r.getResultsList();
  }

  private void verifyFrom(int node, List<SubmitResponse> txs) throws Exception {
    out.printf(
        "auditor-0 reads them from validator-%d and checks each proof offline (trusting only genesis):%n",
        node);
    NodeClient auditor = client(node, "auditor-0");
    for (SubmitResponse s : txs) {
      TxResponse tx =
          auditor.query().getTx(GetTxRequest.newBuilder().setTxHash(s.getTxHash()).build());
      String problem = TxProofVerifier.check(tx, net.genesis());
      ok &= problem == null;
      out.printf(
          "  %s  tx %s  height %d  leaf %d/%d  path %d  commit %d sigs  -> %s%n",
          tx.getTx().getPayload().getImageAnchor().getImageId(),
          shortHex(tx.getTxHash()),
          tx.getHeight(),
          tx.getIndex(),
          tx.getHeader().getTxCount(),
          tx.getProof().getPathCount(),
          tx.getCommit().getSignaturesCount(),
          problem == null ? "proof verified" : "PROOF FAILED: " + problem);
    }
  }

  private void sameBlocksEverywhere(long top) throws Exception {
    List<NodeClient> all = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      all.add(client(i, "auditor-0"));
    }
    int differing = 0;
    for (long h = 1; h <= top; h++) {
      ByteString id = null;
      for (NodeClient c : all) {
        ByteString here =
            c.query().getBlock(GetBlockRequest.newBuilder().setHeight(h).build()).getBlockId();
        if (id == null) {
          id = here;
        } else if (!id.equals(here)) {
          differing++;
        }
      }
    }
    ok &= differing == 0;
    out.printf(
        "%nblock ids at heights 1..%d on all %d validators: %s%n",
        top, VALIDATORS, differing == 0 ? "identical" : differing + " DIFFER");
    for (NodeStatus s : net.status()) {
      out.printf(
          "  %s  now at height %d, tip %s… (empty blocks keep coming)%n",
          s.name(), s.height(), shorten(s.tip()));
    }
  }

  private static String shorten(String hex) {
    return hex.length() > 16 ? hex.substring(0, 16) : hex;
  }

  private void refusals(SubmitResponse anchored, KeyFile hospital) throws Exception {
    out.println("\nwhat the chain and the proofs refuse:");
    NodeClient auditor = client(0, "auditor-0");
    TxResponse first =
        auditor.query().getTx(GetTxRequest.newBuilder().setTxHash(anchored.getTxHash()).build());
    var tamperedLeaf =
        first.getTx().getPayload().getImageAnchor().getLeaves(0).toBuilder()
            .setContentHash(ByteString.copyFrom(new byte[32]));
    var tamperedTx = first.getTx().toBuilder();
    tamperedTx.getPayloadBuilder().getImageAnchorBuilder().setLeaves(0, tamperedLeaf);
    // A forger also recomputes the transaction hash; the Merkle path then leads nowhere.
    String tampered =
        TxProofVerifier.check(
            first.toBuilder()
                .setTx(tamperedTx)
                .setTxHash(ByteString.copyFrom(TxCodec.hash(tamperedTx.build())))
                .build(),
            net.genesis());
    ok &= tampered != null;
    out.println("  tile 0 fingerprint altered after the fact  -> proof check: " + tampered);
    NodeClient asHospital = client(2, hospital.getName());
    SubmitResponse replay =
        asHospital.submit().submit(SubmitRequest.newBuilder().setTx(first.getTx()).build());
    ok &= !replay.getAccepted();
    out.println(
        "  the same transaction sent to validator-2    -> "
            + replay.getCode()
            + ": "
            + replay.getMessage());
    KeyFile auditorKey = net.clientKey("auditor-0");
    SubmitResponse forbidden =
        auditor
            .submit()
            .submit(
                SubmitRequest.newBuilder()
                    .setTx(factory.anchorTx(auditorKey, 1, 1_000, "not-yours"))
                    .build());
    ok &= !forbidden.getAccepted();
    out.println(
        "  an auditor anchoring an image               -> "
            + forbidden.getCode()
            + ": "
            + forbidden.getMessage());
    SubmitResponse twice =
        asHospital
            .submit()
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .submit(
                SubmitRequest.newBuilder()
                    .setTx(factory.anchorTx(hospital, images + 1, 1_000, "mri-slice-001"))
                    .setWaitForCommit(true)
                    .build());
    ok &= !twice.getAccepted();
    out.println(
        "  anchoring mri-slice-001 a second time       -> "
            + twice.getCode()
            + ": "
            + twice.getMessage());
  }

  private long height(int node) throws Exception {
    try (NodeClient c = net.client(node, "auditor-0")) {
      return c.query()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getStatus(StatusRequest.getDefaultInstance())
          .getHeight();
    }
  }
}
