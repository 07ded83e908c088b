package io.prosima.node.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.GetImageProvenanceRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.ImageProvenanceResponse;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.MerkleTree;
import io.prosima.storage.LedgerStore;
import io.prosima.storage.RocksDbLedgerStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * GetTx and GetImageProvenance answer from the store's block tx index: byte for byte what they
 * answered when they parsed the whole block, without parsing one.
 */
class TxProofReadsTest {
  private static final int OWNER = 0;
  private static final int GRANTEE = 1;
  private static final List<String> IMAGES = List.of("scan-a", "scan-b", "scan-c", "scan-d");

  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private LedgerNode node;
  private NodeClient owner;
  private AnchorTxFactory txs;
  private long nonce;

  /** Each committed tx hash, in commit order, with the images its transaction names. */
  private final Map<ByteString, String> committed = new LinkedHashMap<>();

  @BeforeEach
  void start() throws Exception {
    chain = TestChains.create(dir, 2);
    txs = new AnchorTxFactory(chain.genesis().getChainId());
    startNode();
  }

  private void startNode() throws Exception {
    node =
        LedgerNode.start(
            NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
    owner = new NodeClient("127.0.0.1:" + node.grpcPort(), key(OWNER), chain.genesis());
  }

  @AfterEach
  void stop() {
    owner.close();
    node.close();
  }

  private KeyFile key(int who) {
    return chain.clientKeys().get(who);
  }

  private RocksDbLedgerStore store() {
    return (RocksDbLedgerStore) node.core().store();
  }

  /** Commits the owner's transactions as one batch (one block); they name the given images. */
  private void commitBatch(List<Payload> payloads, List<String> images) {
    SubmitBatchRequest.Builder batch = SubmitBatchRequest.newBuilder().setWaitForCommit(true);
    for (Payload p : payloads) {
      batch.addTxs(txs.sign(key(OWNER), ++nonce, 1_000, p));
    }
    List<SubmitResponse> results = owner.submit().submitBatch(batch.build()).getResultsList();
    for (int i = 0; i < results.size(); i++) {
      assertTrue(results.get(i).getCommitted(), results.get(i).getMessage());
      committed.put(results.get(i).getTxHash(), images.get(i));
    }
  }

  private static Payload anchor(String image) {
    return Payload.newBuilder().setImageAnchor(AnchorTxFactory.anchor(image)).build();
  }

  private Payload grant(String image) {
    return Payload.newBuilder()
        .setAccessGrant(
            AccessGrant.newBuilder()
                .setImageId(image)
                .setGrantee(key(GRANTEE).getEd25519PublicKey())
                .setWrappedKey(ByteString.copyFromUtf8("wrapped")))
        .build();
  }

  private Payload revoke(String image) {
    return Payload.newBuilder()
        .setAccessRevoke(
            AccessRevoke.newBuilder()
                .setImageId(image)
                .setGrantee(key(GRANTEE).getEd25519PublicKey()))
        .build();
  }

  /** Blocks of 4, 3, 1 and 5 transactions; the images' records spread over several blocks. */
  private void commitSomeBlocks() {
    commitBatch(IMAGES.stream().map(TxProofReadsTest::anchor).toList(), IMAGES);
    commitBatch(
        List.of(grant("scan-a"), grant("scan-b"), anchor("scan-e")),
        List.of("scan-a", "scan-b", "scan-e"));
    commitBatch(List.of(grant("scan-c")), List.of("scan-c"));
    commitBatch(
        List.of(
            revoke("scan-a"), grant("scan-d"), revoke("scan-b"), revoke("scan-c"), grant("scan-e")),
        List.of("scan-a", "scan-d", "scan-b", "scan-c", "scan-e"));
  }

  /** What the node answers: GetTx for each committed tx, then every image's provenance pages. */
  private List<TxResponse> queryAll() {
    List<TxResponse> answers = new ArrayList<>();
    for (ByteString hash : committed.keySet()) {
      answers.add(owner.query().getTx(GetTxRequest.newBuilder().setTxHash(hash).build()));
    }
    for (String image : new java.util.TreeSet<>(committed.values())) {
      ByteString token = ByteString.EMPTY;
      do {
        ImageProvenanceResponse page =
            owner
                .query()
                .getImageProvenance(
                    GetImageProvenanceRequest.newBuilder()
                        .setImageId(image)
                        .setLimit(2)
                        .setPageToken(token)
                        .build());
        answers.addAll(page.getEntriesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    return answers;
  }

  /** A TxResponse exactly as LedgerQueryService built it before the index: from the block. */
  private static TxResponse fromParsedBlock(LedgerStore store, TxResponse answer) {
    CommittedBlock block = store.block(answer.getHeight()).orElseThrow();
    var blockTxs = block.getBlock().getTxsList();
    int index = answer.getIndex();
    return TxResponse.newBuilder()
        .setTx(blockTxs.get(index))
        .setTxHash(answer.getTxHash())
        .setHeight(answer.getHeight())
        .setIndex(index)
        .setProof(MerkleTree.proof(BlockCodec.txHashes(blockTxs), index))
        .setHeader(block.getBlock().getHeader())
        .setCommit(block.getCommit())
        .build();
  }

  private void assertSameAsFromTheBlock(List<TxResponse> answers) {
    assertEquals(committed.size() * 2, answers.size(), "one GetTx and one provenance entry each");
    int multiLeafProofs = 0;
    for (TxResponse answer : answers) {
      assertArrayEquals(
          fromParsedBlock(store(), answer).toByteArray(),
          answer.toByteArray(),
          "answer for height " + answer.getHeight() + " index " + answer.getIndex());
      assertNull(TxProofVerifier.check(answer, chain.genesis()));
      if (answer.getProof().getPathCount() >= 2) {
        multiLeafProofs++;
      }
    }
    assertTrue(multiLeafProofs > 0, "some proofs climb a tree of several levels");
  }

  @Test
  void getTxAndProvenanceAnswerWhatTheBlockGaveWithoutParsingIt() {
    commitSomeBlocks();
    long parsed = store().blocksParsed();
    List<TxResponse> answers = queryAll();
    assertEquals(parsed, store().blocksParsed(), "blocks parsed to answer GetTx and provenance");
    assertSameAsFromTheBlock(answers);
  }

  @Test
  void aNodeOnADatabaseFromBeforeTheIndexAnswersTheSameFromItsBlocks() throws Exception {
    commitSomeBlocks();
    List<TxResponse> before = queryAll();
    List<CommittedBlock> full = new ArrayList<>();
    for (long h = 1; h <= store().height(); h++) {
      full.add(store().block(h).orElseThrow());
    }
    stop();
    makeLegacy(
        dir.resolve("validator-0").resolve(LedgerNode.DATA_DIR).resolve(LedgerNode.LEDGER_DIR),
        full);
    startNode();

    long parsed = store().blocksParsed();
    List<TxResponse> after = queryAll();
    assertTrue(store().blocksParsed() > parsed, "heights without the index fall back to blocks");
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).toByteArray(), after.get(i).toByteArray());
    }
    assertSameAsFromTheBlock(after);

    // What is committed from now on is indexed again.
    committed.clear();
    commitBatch(
        List.of(anchor("scan-f"), grant("scan-f"), revoke("scan-f")),
        List.of("scan-f", "scan-f", "scan-f"));
    parsed = store().blocksParsed();
    List<TxResponse> fresh = queryAll();
    assertEquals(parsed, store().blocksParsed());
    assertSameAsFromTheBlock(fresh);
  }

  /** The store's value layout: the bytes, then their CRC32C (4 bytes, big-endian). */
  private static byte[] storedValue(CommittedBlock b) {
    byte[] value = b.toByteArray();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(value);
    return ByteBuffer.allocate(value.length + 4).put(value).putInt((int) crc.getValue()).array();
  }

  /**
   * Makes a ledger look written before block_tx_index existed: the family is dropped and each block
   * is stored whole, with its transactions (as the store wrote blocks then).
   */
  private static void makeLegacy(Path ledger, List<CommittedBlock> full) throws Exception {
    List<byte[]> names;
    try (Options options = new Options()) {
      names = RocksDB.listColumnFamilies(options, ledger.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, ledger.toString(), descriptors, handles)) {
      try {
        for (int i = 0; i < names.size(); i++) {
          String name = new String(names.get(i), StandardCharsets.US_ASCII);
          if (name.equals("block_tx_index")) {
            db.dropColumnFamily(handles.get(i));
          }
          if (name.equals("blocks")) {
            for (CommittedBlock b : full) {
              long h = b.getBlock().getHeader().getHeight();
              db.put(handles.get(i), ByteBuffer.allocate(8).putLong(h).array(), storedValue(b));
            }
          }
        }
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
