package io.prosima.testnet.demo;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.KeyWrap;
import io.prosima.imaging.crypto.TileCipher;
import io.prosima.imaging.crypto.TilePosition;
import io.prosima.imaging.crypto.WrapContext;
import io.prosima.imaging.erasure.ReedSolomon;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.train.Corruptions;
import io.prosima.imaging.verify.ImageVerifier;
import io.prosima.imaging.verify.VerificationResult;
import io.prosima.node.client.NodeClient;
import io.prosima.node.image.ChainNodes;
import io.prosima.node.image.ChainReconstruction;
import io.prosima.node.image.ChainTxs;
import io.prosima.node.image.Grantee;
import io.prosima.node.image.ImageFingerprint;
import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ImageIngest;
import io.prosima.node.image.ImageRekeyer;
import io.prosima.node.image.ImageRetrieval;
import io.prosima.node.image.ImageTxs;
import io.prosima.node.image.IngestResult;
import io.prosima.node.image.Models;
import io.prosima.node.image.ProvenanceTimeline;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.FragmentRef;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.GetFragmentsRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.VerificationRecord;
import io.prosima.testnet.launch.LocalTestnet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo, the product end to end on a local testnet of four validator processes in two
 * regions: hospital-0 ingests real MRI slices and a DICOM file (fragments on validators, then
 * anchors and grants); hospital-1, granted, retrieves a slice bit-exact while a validator is down;
 * hospital-2 is refused by the node; a revoke stops the nodes serving hospital-1 and a rekey makes
 * its old key useless; a tampered copy is caught tile by tile; a noisy copy is reconstructed by G
 * conditioned on the on-chain latents; the auditor reads the verified timeline.
 */
public final class ImageDemo {
  static final int VALIDATORS = 4;
  static final int REGIONS = 2;
  static final int HOSPITALS = 3;
  static final int VICTIM = 3;
  static final String MODEL_VERSION = "1";

  /** Validation slices (never trained on): data/README.md. */
  static final List<String> SLICES =
      List.of(
          "ch2better_ax_125.png",
          "ch2better_ax_135.png",
          "ch2better_ax_145.png",
          "ch2better_ax_235.png");

  static final String DICOM = "CT_small.dcm";
  static final int TAMPERED_TILE = 6;

  private final Path dir;
  private final boolean keep;
  private final PrintStream out;
  private boolean ok = true;
  private LocalTestnet net;
  private ExecutorService calls;
  private final List<AutoCloseable> open = new ArrayList<>();

  public ImageDemo(Path dir, boolean keep, PrintStream out) {
    this.dir = dir;
    this.keep = keep;
    this.out = out;
  }

  private void check(boolean condition, String what) {
    if (!condition) {
      ok = false;
      out.println("  CHECK FAILED: " + what);
    }
  }

  /** Runs the demo; false if anything did not behave as it should. */
  public boolean run() throws Exception {
    Path data =
        DemoData.find()
            .orElseThrow(
                () ->
                    // A one-line error, not a stack trace: the clone sits outside the layout.
                    new io.prosima.node.cli.CliException(
                        "the shared data (../shared/data next to the repository) is missing"));
    long start = System.nanoTime();
    out.printf(
        "== Prosima demo: %d validator processes in %d regions, real MRI and DICOM images ==%n",
        VALIDATORS, REGIONS);
    net =
        LocalTestnet.create(
            dir, VALIDATORS, REGIONS, LocalTestnet.freeBasePort(VALIDATORS), HOSPITALS);
    for (Validator v : net.genesis().getValidatorsList()) {
      out.printf("  %s in %s, voting weight %d%n", v.getName(), v.getRegion(), v.getVotingWeight());
    }
    calls = Executors.newFixedThreadPool(16, daemon());
    try {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(90));
      out.printf("all validators up after %.1f s%n", seconds(start));
      ChainNodes owner = chain("hospital-0");
      ChainNodes granted = chain("hospital-1");
      ChainNodes stranger = chain("hospital-2");
      ChainNodes auditor = chain("auditor-0");
      NodeClient ownerVia = owner.client(key(0));

      anchorModels(owner, ownerVia);
      try (Models.Opened models =
          Models.open(ShippedModels.defaultDir(), ownerVia, MODEL_VERSION, false)) {
        List<String> ids = ingest(owner, ownerVia, models, data, granted.key());
        String slice = ids.get(1);
        Path original = data.resolve("mri/human-t1-axial").resolve(SLICES.get(1));

        retrieveWithValidatorDown(granted, slice, original);
        refuseStranger(stranger, slice);
        restartVictim();
        revokeAndRekey(owner, ownerVia, granted, slice);
        verifyCopies(auditor, models, slice, original);
        reconstruct(owner, ownerVia, models, slice, original);
        timeline(auditor, slice);
      }
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
      calls.shutdownNow();
      if (keep) {
        out.println("\ntestnet left running: ./prosima testnet status --dir " + dir);
      } else {
        net.stopAll();
        out.println("\ntestnet stopped (data kept in " + dir + ")");
      }
    }
    out.printf(
        Locale.ROOT,
        "%s (%.0f s)%n",
        ok ? "demo finished: every check behaved as expected" : "demo FAILED: see above",
        seconds(start));
    return ok;
  }

  private ChainNodes chain(String client) {
    ChainNodes c = new ChainNodes(net.genesis(), net.clientKey(client));
    open.add(c);
    return c;
  }

  private ByteString key(int validator) {
    return net.genesis().getValidators(validator).getPublicKey();
  }

  private void anchorModels(ChainNodes owner, NodeClient via) throws Exception {
    out.println("\n1. hospital-0 anchors the shipped models (E and G, version 1): only anchored");
    out.println("   weights may fingerprint and reconstruct");
    long height = via.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
    List<Transaction> txs =
        ModelAnchors.anchorTxs(
            ShippedModels.defaultDir(),
            MODEL_VERSION,
            net.genesis().getChainId(),
            owner.key(),
            height + 100);
    for (Transaction tx : txs) {
      SubmitResponse r =
          via.submit()
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
      var m = tx.getPayload().getModelAnchor();
      check(r.getCommitted(), "model anchor committed: " + r.getMessage());
      out.printf(
          "   %s@%s committed at height %d%n", m.getModelId(), m.getVersion(), r.getHeight());
    }
  }

  private List<String> ingest(
      ChainNodes owner, NodeClient via, Models.Opened models, Path data, KeyFile grantee)
      throws Exception {
    out.println("\n2. hospital-0 ingests 4 MRI slices and a CT DICOM file, granting hospital-1:");
    out.println("   tiles -> hashes + E latents -> Merkle root -> AES-256-GCM per tile -> 2-of-4");
    out.println("   fragments on validators (own region first), signed receipts, THEN the anchor");
    ImageIngest ingest = new ImageIngest(owner, models, via, calls);
    String region = net.genesis().getValidators(0).getRegion();
    var options = new ImageIngest.Options(2, 4, region, List.of(Grantee.of(grantee)));
    List<Path> files = new ArrayList<>();
    for (String s : SLICES) {
      files.add(data.resolve("mri/human-t1-axial").resolve(s));
    }
    files.add(data.resolve("dicom").resolve(DICOM));
    List<Future<IngestResult>> pending = new ArrayList<>();
    for (Path f : files) {
      pending.add(calls.submit(() -> ingest.ingest(f, null, options)));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      IngestResult r = pending.get(i).get();
      ids.add(r.imageId());
      out.printf(
          Locale.ROOT,
          "   %-22s -> %s  %d tiles  root %s…  %6.1f KB fragments for a %5.1f KB file%n",
          files.get(i).getFileName(),
          r.imageId(),
          r.tiles(),
          r.merkleRootHex().substring(0, 12),
          r.storedBytes() / 1024.0,
          r.imageBytes() / 1024.0);
    }
    out.println("   fingerprints by E " + models.label() + "; no file name or DICOM tag on chain");
    IngestResult again = ingest.ingest(files.get(0), null, options);
    check(again.outcome() == IngestResult.Outcome.ALREADY_DONE, "re-run is idempotent");
    out.println("   running the same ingest again: " + again.outcome() + " (idempotent)");
    return ids;
  }

  private void retrieveWithValidatorDown(ChainNodes granted, String slice, Path original)
      throws Exception {
    out.printf("%n3. SIGKILL validator-%d; hospital-1 retrieves %s%n", VICTIM, slice);
    net.kill(VICTIM);
    NodeClient via = granted.client(key(1));
    String region = net.genesis().getValidators(1).getRegion();
    long t = System.nanoTime();
    ImageHistory history = ImageHistory.read(via, granted, slice);
    ImageRetrieval.Retrieved r = new ImageRetrieval(granted, calls).retrieve(history, region);
    double ms = (System.nanoTime() - t) / 1e6;
    GrayImage source = PngImages.read(original);
    boolean exact = source.equals(r.image());
    check(exact, "retrieved image equals the source pixel for pixel");
    Path written = dir.resolve("retrieved-by-hospital-1.png");
    PngImages.write8(r.image(), written);
    r.skipped().forEach(s -> out.println("   skipped: " + s));
    out.printf(
        Locale.ROOT,
        "   %d fragments fetched, every tile decrypted and matched to its on-chain hash in %.0f ms;%n"
            + "   identical to the source file pixel for pixel: %s -> %s%n",
        r.fragmentsFetched(),
        ms,
        exact,
        written);
    ImageTxs.logAccess(granted, via, slice, "read");
    out.println("   the read is logged on chain (AccessLog by hospital-1)");
  }

  private void refuseStranger(ChainNodes stranger, String slice) {
    out.println("\n4. hospital-2 (no grant) asks a validator for the fragments and the history:");
    io.grpc.Status refused = fragmentRefusal(stranger, slice);
    check(refused.getCode() == io.grpc.Status.Code.PERMISSION_DENIED, "non-grantee refused");
    out.println("   FragmentService.Get -> " + refused.getCode() + ": " + refused.getDescription());
    try {
      ImageHistory.read(stranger.client(key(0)), stranger, slice);
      check(false, "a non-grantee must be refused the history");
    } catch (ImageHistory.HistoryException e) {
      check(e.code() == io.grpc.Status.Code.PERMISSION_DENIED, "history refused");
      out.println("   GetImageProvenance -> " + e.code());
    }
  }

  /** What validator-0 answers {@code who} asking for tile 0's first fragment (OK if served). */
  private io.grpc.Status fragmentRefusal(ChainNodes who, String slice) {
    try {
      who.fragments(key(0))
          .get(
              GetFragmentsRequest.newBuilder()
                  .setImageId(slice)
                  .addRefs(FragmentRef.newBuilder().setTileIndex(0).setFragmentIndex(0))
                  .build());
      return io.grpc.Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private void revokeAndRekey(ChainNodes owner, NodeClient via, ChainNodes granted, String slice)
      throws Exception {
    out.println("\n6. hospital-0 revokes hospital-1, then rekeys the image:");
    // What hospital-1 could have kept: the epoch-0 data key from its grant.
    ImageHistory before = ImageHistory.read(via, owner, slice);
    AccessGrant oldGrant = before.currentGrant(granted.key().getEd25519PublicKey()).orElseThrow();
    DataKey kept =
        KeyWrap.unwrap(
            oldGrant.getWrappedKey().toByteArray(),
            granted.key().getX25519PrivateKey().toByteArray(),
            new WrapContext(
                net.genesis().getChainId(),
                slice,
                granted.key().getEd25519PublicKey().toByteArray()));
    new ChainTxs(owner)
        .commit(
            via,
            List.of(
                Payload.newBuilder()
                    .setAccessRevoke(
                        AccessRevoke.newBuilder()
                            .setImageId(slice)
                            .setGrantee(granted.key().getEd25519PublicKey()))
                    .build()));
    io.grpc.Status refused = fragmentRefusal(granted, slice);
    check(refused.getCode() == io.grpc.Status.Code.PERMISSION_DENIED, "revoked grantee refused");
    out.println("   revoke committed; hospital-1 asks again -> " + refused.getCode() + " at once");
    String region = net.genesis().getValidators(0).getRegion();
    ImageRekeyer.Rekeyed done =
        new ImageRekeyer(owner, via, calls)
            .rekey(ImageHistory.read(via, owner, slice), region, 2, 4);
    out.printf(
        "   rekey committed: key epoch %d, fresh fragments stored, owner re-granted%n",
        done.keyEpoch());
    ImageHistory after = ImageHistory.read(via, owner, slice);
    var placement = after.placement();
    ByteString holder = placement.getNodes(placement.getTiles(0).getNodeIndices(0));
    var fragment =
        owner
            .fragments(holder)
            .get(
                GetFragmentsRequest.newBuilder()
                    .setImageId(slice)
                    .setKeyEpoch(after.keyEpoch())
                    .addRefs(FragmentRef.newBuilder().setTileIndex(0).setFragmentIndex(0))
                    .addRefs(FragmentRef.newBuilder().setTileIndex(0).setFragmentIndex(1))
                    .build());
    boolean opens;
    try {
      byte[] sealed =
          new ReedSolomon(2, 4)
              .decode(
                  fragment.getFragmentsList().stream()
                      .map(f -> f.getData().toByteArray())
                      .toList());
      new TileCipher(kept, new java.security.SecureRandom())
          .decrypt(new TilePosition(net.genesis().getChainId(), slice, 0), sealed);
      opens = true;
    } catch (Exception e) {
      opens = false;
    }
    check(!opens, "the revoked identity's old key must not open the new fragments");
    out.println(
        "   hospital-1's kept epoch-0 key on an epoch-1 fragment -> "
            + (opens ? "OPENS" : "does not open (GCM tag fails)"));
    kept.destroy();
  }

  private void verifyCopies(ChainNodes auditor, Models.Opened models, String slice, Path original)
      throws Exception {
    out.println("\n7. the auditor checks three copies of the slice against the chain:");
    NodeClient via = auditor.client(key(0));
    ImageHistory history = ImageHistory.read(via, auditor, slice);
    var anchor = history.anchor();
    TileGrid grid =
        new TileGrid(anchor.getGrid().getImageWidth(), anchor.getGrid().getImageHeight());
    GrayImage source = PngImages.read(original);
    float[] noisy = Corruptions.gaussian(source.pixels(), 0.02, new Random(7));
    GrayImage tampered = pasteDisc(source, grid, TAMPERED_TILE);
    record Copy(String name, GrayImage image) {}
    VerificationResult tamperedResult = null;
    for (Copy c :
        List.of(
            new Copy("the original file", source),
            new Copy("a copy with noise (sigma 0.02)", new GrayImage(256, 256, noisy)),
            new Copy("a copy with a lesion pasted in tile " + TAMPERED_TILE, tampered))) {
      VerificationResult v =
          ImageVerifier.verify(c.image(), grid, anchor.getLeavesList(), models.reconstructor());
      out.printf(
          "   %-38s -> %s%s%n",
          c.name(),
          v.verdict(),
          v.tamperedTiles().isEmpty() ? "" : ", tampered tiles " + v.tamperedTiles());
      if (c.image() == tampered) {
        tamperedResult = v;
      }
    }
    check(
        tamperedResult != null && tamperedResult.tamperedTiles().contains(TAMPERED_TILE),
        "the pasted tile is named");
    new ChainTxs(auditor)
        .commit(
            via,
            List.of(
                Payload.newBuilder()
                    .setVerificationRecord(
                        VerificationRecord.newBuilder()
                            .setImageId(slice)
                            .setVerdict(tamperedResult.verdict().toProto())
                            .addAllTamperedTiles(tamperedResult.tamperedTiles())
                            .setCheckedMerkleRoot(
                                ByteString.copyFrom(
                                    ImageFingerprint.of(tampered, models).merkleRoot())))
                    .build()));
    out.println("   the auditor records the TAMPERED verdict on chain (VerificationRecord)");
  }

  private static GrayImage pasteDisc(GrayImage image, TileGrid grid, int tile) {
    float[] px = image.pixels();
    int cx = tile % grid.cols() * TileGrid.TILE_PX + 32;
    int cy = tile / grid.cols() * TileGrid.TILE_PX + 32;
    double sum = 0;
    int n = 0;
    for (int y = cy - 12; y <= cy + 12; y++) {
      for (int x = cx - 12; x <= cx + 12; x++) {
        sum += px[y * image.width() + x];
        n++;
      }
    }
    // A lesion contrasts with what it covers: bright on dark tissue, dark on bright.
    float value = sum / n < 0.5 ? 0.95f : 0.05f;
    for (int y = cy - 12; y <= cy + 12; y++) {
      for (int x = cx - 12; x <= cx + 12; x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 144) {
          px[y * image.width() + x] = value;
        }
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }

  private void reconstruct(
      ChainNodes owner, NodeClient via, Models.Opened models, String slice, Path original)
      throws Exception {
    out.println("\n8. hospital-0 reconstructs a noisy copy (sigma 0.05) with the anchored G,");
    out.println("   conditioned on the slice's on-chain latents z*:");
    GrayImage source = PngImages.read(original);
    GrayImage noisy =
        new GrayImage(256, 256, Corruptions.gaussian(source.pixels(), 0.05, new Random(11)));
    ImageHistory history = ImageHistory.read(via, owner, slice);
    ChainReconstruction.Result result = ChainReconstruction.run(history, noisy, models);
    double before = ImageMetrics.psnr(noisy.pixels(), source.pixels());
    double after = ImageMetrics.psnr(result.output().pixels(), source.pixels());
    check(after > before, "reconstruction improves PSNR");
    out.printf(Locale.ROOT, "   PSNR %.1f dB -> %.1f dB%n", before, after);
    new ChainTxs(owner)
        .commit(via, List.of(ChainReconstruction.record(slice, MODEL_VERSION, result)));
    out.println("   ReconstructionRecord committed (output Merkle root, prosima-generator@1)");
  }

  private void restartVictim() throws Exception {
    out.printf("%n5. validator-%d restarts and catches up by block sync:%n", VICTIM);
    long t = System.nanoTime();
    net.start(VICTIM);
    net.awaitReady(Duration.ofSeconds(90));
    long target = height(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (height(VICTIM) < target && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long reached = height(VICTIM);
    check(reached >= target, "caught up");
    int differing = 0;
    List<NodeClient> clients = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      clients.add(net.client(i, "auditor-0"));
    }
    try {
      for (long h = 1; h <= target; h++) {
        ByteString id = null;
        for (NodeClient c : clients) {
          ByteString here =
              c.query().getBlock(GetBlockRequest.newBuilder().setHeight(h).build()).getBlockId();
          if (id == null) {
            id = here;
          } else if (!id.equals(here)) {
            differing++;
          }
        }
      }
    } finally {
      clients.forEach(NodeClient::close);
    }
    check(differing == 0, "identical blocks");
    out.printf(
        Locale.ROOT,
        "   at height %d after %.1f s; block ids 1..%d identical on all %d validators: %s%n",
        reached,
        seconds(t),
        target,
        VALIDATORS,
        differing == 0);
  }

  private void timeline(ChainNodes auditor, String slice) throws Exception {
    out.printf("%n9. the auditor's timeline of %s (every entry's proof checked here):%n", slice);
    NodeClient via = auditor.client(key(2));
    ImageHistory history = ImageHistory.read(via, auditor, slice);
    var rows = ProvenanceTimeline.rows(history, net.genesis(), via);
    out.println(ProvenanceTimeline.table(history, rows, net.genesis()).indent(3).stripTrailing());
    check(rows.size() >= 8, "timeline holds the flow");
  }

  private long height(int node) {
    try (NodeClient c = net.client(node, "auditor-0")) {
      return c.query()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getStatus(StatusRequest.getDefaultInstance())
          .getHeight();
    } catch (StatusRuntimeException e) {
      return -1;
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "demo-calls");
      t.setDaemon(true);
      return t;
    };
  }
}
