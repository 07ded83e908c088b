package io.prosima.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.FragmentRef;
import io.prosima.proto.v1.GetFragmentsRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Verdict;
import io.prosima.proto.v1.VerificationRecord;
import io.prosima.proto.wire.Sha256;
import io.prosima.storage.Fragment;
import io.prosima.storage.FragmentId;
import io.prosima.storage.RocksDbLedgerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provenance pipeline on four validators in this JVM (real mutual-TLS gRPC and p2p): ingest of
 * real MRI slices, bit-exact retrieval, a node serving an altered fragment, refusals of
 * non-grantees and revoked grantees, rekey, record authorization, and retrieval with s - r
 * validators down (last: it stops two of them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagePipelineTest {
  @TempDir static Path dir;

  private GenesisBuilder.Result chain;
  private final LedgerNode[] nodes = new LedgerNode[4];
  private ExecutorService calls;
  private Models.Opened models;
  private ChainNodes owner;
  private ChainNodes granted;
  private ChainNodes stranger;
  private ChainNodes auditor;
  private Path slices;

  @BeforeAll
  void startChain() throws Exception {
    slices = sharedSlices().orElse(null);
    assumeTrue(slices != null, "shared MRI slices (../shared/data) not found");
    chain =
        new GenesisBuilder()
            .chainId("images")
            .validators(4)
            .regions(2)
            .clients(3, 1, 0)
            .basePort(TestChains.basePortBelowEphemeral())
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    for (int i = 0; i < 4; i++) {
      nodes[i] =
          LedgerNode.start(
              NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(i))));
    }
    calls = Executors.newFixedThreadPool(16);
    owner = new ChainNodes(chain.genesis(), client("hospital-0"));
    granted = new ChainNodes(chain.genesis(), client("hospital-1"));
    stranger = new ChainNodes(chain.genesis(), client("hospital-2"));
    auditor = new ChainNodes(chain.genesis(), client("auditor-0"));
    models = Models.open(ShippedModels.defaultDir(), via(owner, 0), "1", false);
  }

  @AfterAll
  void stopChain() {
    for (AutoCloseable c : new AutoCloseable[] {models, owner, granted, stranger, auditor}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing what is left
      }
    }
    if (calls != null) {
      calls.shutdownNow();
    }
    for (LedgerNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
  }

  private KeyFile client(String name) {
    return chain.clientKeys().stream()
        .filter(k -> k.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private NodeClient via(ChainNodes c, int validator) {
    return c.client(chain.genesis().getValidators(validator).getPublicKey());
  }

  private String region(int validator) {
    return chain.genesis().getValidators(validator).getRegion();
  }

  private IngestResult ingest(String slice, List<Grantee> grantees) throws Exception {
    return new ImageIngest(owner, models, via(owner, 0), calls)
        .ingest(slices.resolve(slice), null, new ImageIngest.Options(2, 4, region(0), grantees));
  }

  private ImageRetrieval.Retrieved retrieve(ChainNodes who, String imageId, int viaNode)
      throws Exception {
    ImageHistory h = ImageHistory.read(via(who, viaNode), who, imageId);
    return new ImageRetrieval(who, calls).retrieve(h, region(viaNode));
  }

  private static Optional<Path> sharedSlices() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("../shared/data/mri/human-t1-axial").normalize();
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private StatusRuntimeException refusedGet(ChainNodes who, String imageId, int node) {
    return assertThrows(
        StatusRuntimeException.class,
        () ->
            who.fragments(chain.genesis().getValidators(node).getPublicKey())
                .get(
                    GetFragmentsRequest.newBuilder()
                        .setImageId(imageId)
                        .addRefs(FragmentRef.newBuilder().setTileIndex(0).setFragmentIndex(0))
                        .build()));
  }

  @Test
  @Order(1)
  void aGranteeRetrievesTheImageBitExactAndARerunIsIdempotent() throws Exception {
    IngestResult r = ingest("ch2better_ax_130.png", List.of(Grantee.of(client("hospital-1"))));
    assertEquals(IngestResult.Outcome.ANCHORED, r.outcome());
    GrayImage source = PngImages.read(slices.resolve("ch2better_ax_130.png"));
    ImageRetrieval.Retrieved got = retrieve(granted, r.imageId(), 1);
    assertEquals(source, got.image());
    assertEquals(8, got.sampleBits());
    assertEquals(
        IngestResult.Outcome.ALREADY_DONE,
        ingest("ch2better_ax_130.png", List.of(Grantee.of(client("hospital-1")))).outcome());
  }

  @Test
  @Order(2)
  void anAnchoredImageWithoutItsGrantIsCompletedByRerunning() throws Exception {
    IngestResult first = ingest("ch2better_ax_131.png", List.of());
    StatusRuntimeException before = refusedGet(granted, first.imageId(), 0);
    assertEquals(Status.Code.PERMISSION_DENIED, before.getStatus().getCode());
    IngestResult again = ingest("ch2better_ax_131.png", List.of(Grantee.of(client("hospital-1"))));
    assertEquals(IngestResult.Outcome.COMPLETED, again.outcome());
    assertEquals(first.imageId(), again.imageId());
    retrieve(granted, first.imageId(), 0);
  }

  @Test
  @Order(3)
  void aNodeServingAnAlteredFragmentIsSkippedAndTheImageStillChecks() throws Exception {
    IngestResult r = ingest("ch2better_ax_132.png", List.of(Grantee.of(client("hospital-1"))));
    ImageHistory h = ImageHistory.read(via(owner, 0), owner, r.imageId());
    var placement = h.placement();
    // The holder of tile 0, fragment 0 rewrites it (a consistent liar: its own hash matches).
    ByteString holder = placement.getNodes(placement.getTiles(0).getNodeIndices(0));
    LedgerNode liar = null;
    for (LedgerNode n : nodes) {
      if (n.self().getPublicKey().equals(holder)) {
        liar = n;
      }
    }
    var store = ((RocksDbLedgerStore) liar.core().store()).fragments();
    FragmentId id = new FragmentId(r.imageId(), 0, 0, 0);
    Fragment stored = store.get(id).orElseThrow();
    byte[] altered = stored.data().toByteArray();
    altered[altered.length - 1] ^= 0x5A;
    store.putAll(
        List.of(
            new Fragment(
                id,
                stored.uploader(),
                stored.storedAtMs(),
                ByteString.copyFrom(Sha256.hash(altered)),
                ByteString.copyFrom(altered))));
    ImageRetrieval.Retrieved got = retrieve(granted, r.imageId(), 0);
    assertEquals(PngImages.read(slices.resolve("ch2better_ax_132.png")), got.image());
    assertTrue(
        got.skipped().stream().anyMatch(s -> s.contains("tile 0 fragment 0 altered")),
        got.skipped().toString());
  }

  @Test
  @Order(4)
  void aHospitalWithoutAGrantIsRefusedFragmentsHistoryAndRecords() throws Exception {
    IngestResult r = ingest("ch2better_ax_133.png", List.of());
    for (int node = 0; node < 4; node++) {
      assertEquals(
          Status.Code.PERMISSION_DENIED,
          refusedGet(stranger, r.imageId(), node).getStatus().getCode());
    }
    var history =
        assertThrows(
            ImageHistory.HistoryException.class,
            () -> ImageHistory.read(via(stranger, 2), stranger, r.imageId()));
    assertEquals(Status.Code.PERMISSION_DENIED, history.code());
    Payload record =
        Payload.newBuilder()
            .setVerificationRecord(
                VerificationRecord.newBuilder()
                    .setImageId(r.imageId())
                    .setVerdict(Verdict.VERDICT_AUTHENTIC)
                    .setCheckedMerkleRoot(ByteString.copyFrom(new byte[32])))
            .build();
    var refused =
        assertThrows(
            ChainTxs.TxFailedException.class,
            () -> new ChainTxs(stranger).commit(via(stranger, 1), List.of(record)));
    assertTrue(refused.getMessage().contains("REFUSAL_NOT_OWNER"), refused.getMessage());
    // An auditor may record a verification of any image.
    new ChainTxs(auditor).commit(via(auditor, 1), List.of(record));
  }

  @Test
  @Order(5)
  void aRevokedGranteeIsRefusedAtOnceAndARekeyLocksOutItsOldKey() throws Exception {
    IngestResult r =
        ingest(
            "ch2better_ax_134.png",
            List.of(Grantee.of(client("hospital-1")), Grantee.of(client("hospital-2"))));
    retrieve(granted, r.imageId(), 0);
    new ChainTxs(owner)
        .commit(
            via(owner, 0),
            List.of(
                Payload.newBuilder()
                    .setAccessRevoke(
                        AccessRevoke.newBuilder()
                            .setImageId(r.imageId())
                            .setGrantee(client("hospital-1").getEd25519PublicKey()))
                    .build()));
    // Every node has committed the revoke once the owner's commit returns from node 0? Not
    // necessarily: ask node 0, where it committed.
    assertEquals(
        Status.Code.PERMISSION_DENIED, refusedGet(granted, r.imageId(), 0).getStatus().getCode());
    ImageRekeyer.Rekeyed done =
        new ImageRekeyer(owner, via(owner, 0), calls)
            .rekey(ImageHistory.read(via(owner, 0), owner, r.imageId()), region(0), 2, 4);
    assertEquals(1, done.keyEpoch());
    assertEquals(List.of("hospital-2"), done.regranted());
    ImageRetrieval.Retrieved after = retrieve(stranger, r.imageId(), 0);
    assertEquals(1, after.keyEpoch());
    assertEquals(PngImages.read(slices.resolve("ch2better_ax_134.png")), after.image());
    assertThrows(Exception.class, () -> retrieve(granted, r.imageId(), 0));
  }

  @Test
  @Order(6)
  void anIngestedSliceIsFoundFromANoisyShiftedCopyByItsAnchoredSimilarityCode() throws Exception {
    IngestResult r = ingest("ch2better_ax_135.png", List.of());
    var original = io.prosima.imaging.io.PngImages.read(slices.resolve("ch2better_ax_135.png"));
    var copy =
        io.prosima.imaging.hashcode.CopyTransform.noise(
            io.prosima.imaging.hashcode.CopyTransform.shift(original, 3, -2),
            0.02,
            new java.util.Random(135));
    byte[] code = models.similarityCode(copy);
    assertEquals(16, code.length);
    var answer =
        via(auditor, 1)
            .query()
            .searchSimilar(
                io.prosima.proto.v1.SearchSimilarRequest.newBuilder()
                    .setCode(ByteString.copyFrom(code))
                    .setK(3)
                    .build());
    var best = answer.getMatches(0);
    assertEquals(r.imageId(), best.getImageId());
    assertTrue(best.getDistance() <= 16, "copy at " + best.getDistance() + " bits");
    // The anchored code is the one ingest computed from the original, under the anchor's proof.
    var anchor = best.getAnchor().getTx().getPayload().getImageAnchor();
    assertEquals(ByteString.copyFrom(models.similarityCode(original)), anchor.getSimilarityCode());
    assertNull(io.prosima.node.client.TxProofVerifier.check(best.getAnchor(), chain.genesis()));
    // The stranger may not see this image: it is never among its matches.
    var strangers =
        via(stranger, 1)
            .query()
            .searchSimilar(
                io.prosima.proto.v1.SearchSimilarRequest.newBuilder()
                    .setCode(ByteString.copyFrom(code))
                    .setK(100)
                    .build());
    assertTrue(
        strangers.getMatchesList().stream().noneMatch(m -> m.getImageId().equals(r.imageId())));
  }

  @Test
  @Order(9)
  void retrievalWorksWithSMinusRValidatorsDown() throws Exception {
    IngestResult r = ingest("ch2better_ax_136.png", List.of(Grantee.of(client("hospital-1"))));
    // 2-of-4: any two validators may be gone. Keep validator-1 (the one we read through).
    nodes[2].close();
    nodes[2] = null;
    nodes[3].close();
    nodes[3] = null;
    ImageRetrieval.Retrieved got = retrieve(granted, r.imageId(), 1);
    assertEquals(PngImages.read(slices.resolve("ch2better_ax_136.png")), got.image());
    assertFalse(got.skipped().isEmpty(), "the dead validators were tried and skipped");
  }
}
