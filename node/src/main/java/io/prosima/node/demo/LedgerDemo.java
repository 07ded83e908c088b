package io.prosima.node.demo;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
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
import io.prosima.proto.wire.TxCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The README's demo: a local single-validator chain, a batch of image anchors from a hospital, each
 * read back by an auditor with its Merkle inclusion proof and commit certificate checked offline,
 * and what the ledger refuses.
 */
public final class LedgerDemo {
  private static final HexFormat HEX = HexFormat.of();
  private final Path dir;
  private final int images;
  private final PrintStream out;

  public LedgerDemo(Path dir, int images, PrintStream out) {
    this.dir = dir;
    this.images = images;
    this.out = out;
  }

  private static String shortHex(ByteString b) {
    return HEX.formatHex(b.toByteArray()).substring(0, 16) + "…";
  }

  /** Runs the demo; returns false if anything did not behave as it should. */
  public boolean run() throws Exception {
    GenesisBuilder.Result chain =
        new GenesisBuilder()
            .chainId("prosima-demo")
            .validators(1)
            .clients(1, 1, 0)
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    KeyFile hospital = chain.clientKeys().get(0);
    KeyFile auditor = chain.clientKeys().get(1);
    out.println("== Prosima demo: a local single-validator chain ==");
    out.println(
        "chain written to " + dir + " (genesis.json, validator home, client keys mode 0600)");
    boolean ok = true;
    try (LedgerNode node =
        LedgerNode.start(
            NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(0)))
                .withGrpcListen("127.0.0.1:0"))) {
      String address = "127.0.0.1:" + node.grpcPort();
      out.println(
          "node validator-0 serving gRPC on " + address + " (mutual TLS, keys from genesis)");
      AnchorTxFactory factory = new AnchorTxFactory(chain.genesis().getChainId());
      try (NodeClient asHospital = new NodeClient(address, hospital, chain.genesis());
          NodeClient asAuditor = new NodeClient(address, auditor, chain.genesis())) {
        List<Transaction> batch = new ArrayList<>();
        for (int i = 1; i <= images; i++) {
          batch.add(factory.anchorTx(hospital, i, 100, String.format("mri-slice-%03d", i)));
        }
        out.printf(
            "%nhospital-0 submits %d ImageAnchor transactions (4x4 tile fingerprints + Merkle root each)%n",
            images);
        SubmitBatchResponse r =
            asHospital
                .submit()
                .submitBatch(
                    SubmitBatchRequest.newBuilder()
                        .addAllTxs(batch)
                        .setWaitForCommit(true)
                        .build());
        for (SubmitResponse s : r.getResultsList()) {
          if (!s.getCommitted()) {
            out.println("  NOT committed: " + s.getCode() + " " + s.getMessage());
            ok = false;
          }
        }
        long height = asAuditor.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
        out.printf("  all %d committed; chain height is now %d%n", r.getResultsCount(), height);

        out.println(
            "\nauditor-0 reads each one back and checks its proof offline (genesis is all it trusts):");
        TxResponse first = null;
        for (SubmitResponse s : r.getResultsList()) {
          TxResponse tx =
              asAuditor.query().getTx(GetTxRequest.newBuilder().setTxHash(s.getTxHash()).build());
          first = first == null ? tx : first;
          String problem = TxProofVerifier.check(tx, chain.genesis());
          ok &= problem == null;
          out.printf(
              "  %s  tx %s  height %d  leaf %d/%d  Merkle path %d hashes  commit %d sig  -> %s%n",
              tx.getTx().getPayload().getImageAnchor().getImageId(),
              shortHex(tx.getTxHash()),
              tx.getHeight(),
              tx.getIndex(),
              tx.getHeader().getTxCount(),
              tx.getProof().getPathCount(),
              tx.getCommit().getSignaturesCount(),
              problem == null ? "proof verified" : "PROOF FAILED: " + problem);
        }

        out.println("\nwhat the chain and the proofs refuse:");
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
                chain.genesis());
        ok &= tampered != null;
        out.println("  tile 0 fingerprint altered after the fact  -> proof check: " + tampered);
        SubmitResponse replay =
            asHospital.submit().submit(SubmitRequest.newBuilder().setTx(batch.get(0)).build());
        ok &= !replay.getAccepted();
        out.println(
            "  the same transaction submitted again        -> "
                + replay.getCode()
                + ": "
                + replay.getMessage());
        SubmitResponse forbidden =
            asAuditor
                .submit()
                .submit(
                    SubmitRequest.newBuilder()
                        .setTx(factory.anchorTx(auditor, 1, 100, "not-yours"))
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
                .submit(
                    SubmitRequest.newBuilder()
                        .setTx(factory.anchorTx(hospital, images + 1, 100, "mri-slice-001"))
                        .setWaitForCommit(true)
                        .build());
        ok &= !twice.getAccepted();
        out.println(
            "  anchoring mri-slice-001 a second time       -> "
                + twice.getCode()
                + ": "
                + twice.getMessage());

        var history =
            asAuditor
                .query()
                .listTxsByImage(
                    ListTxsByImageRequest.newBuilder().setImageId("mri-slice-002").build());
        out.printf(
            "%nprovenance of mri-slice-002: %d transaction(s), first at height %d%n",
            history.getTxsCount(), history.getTxs(0).getHeight());
      }
    }
    out.println(
        ok ? "\ndemo finished: every check behaved as expected" : "\ndemo FAILED: see above");
    return ok;
  }
}
