package io.prosima.node.fragments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.EncryptionInfo;
import io.prosima.proto.v1.FragmentRef;
import io.prosima.proto.v1.GetFragmentsRequest;
import io.prosima.proto.v1.GetFragmentsResponse;
import io.prosima.proto.v1.ImageRekey;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.PutFragmentsRequest;
import io.prosima.proto.v1.PutFragmentsResponse;
import io.prosima.proto.v1.StoredFragment;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.TilePlacement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A one-validator chain on disk with two hospitals and an auditor, reached over gRPC with mutual
 * TLS: helpers to put and get fragments and to commit image transactions.
 */
public final class FragmentChain implements AutoCloseable {
  public static final int HOSPITAL_0 = 0;
  public static final int HOSPITAL_1 = 1;
  public static final int AUDITOR = 2;

  public final GenesisBuilder.Result chain;
  private final Path dir;
  public LedgerNode node;
  private final AnchorTxFactory txs;
  private final Map<Integer, NodeClient> clients = new HashMap<>();
  private final Map<Integer, Long> nonces = new HashMap<>();

  public FragmentChain(Path dir, Function<NodeConfig, NodeConfig> config) throws Exception {
    this.dir = dir;
    chain = TestChains.create(dir, 2);
    node = startNode(config);
    txs = new AnchorTxFactory(chain.genesis().getChainId());
  }

  private LedgerNode startNode(Function<NodeConfig, NodeConfig> config) throws Exception {
    return LedgerNode.start(
        config.apply(
            NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0")));
  }

  /** Stops the node and starts it again on the same data. */
  public void restart(Function<NodeConfig, NodeConfig> config) throws Exception {
    clients.values().forEach(NodeClient::close);
    clients.clear();
    node.close();
    node = startNode(config);
  }

  public KeyFile key(int who) {
    return chain.clientKeys().get(who);
  }

  public ByteString publicKey(int who) {
    return key(who).getEd25519PublicKey();
  }

  public ByteString validatorKey() {
    return chain.genesis().getValidators(0).getPublicKey();
  }

  public NodeClient client(int who) {
    return clients.computeIfAbsent(
        who,
        w -> {
          try {
            return new NodeClient("127.0.0.1:" + node.grpcPort(), key(w), chain.genesis());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  public static ByteString data(String image, int epoch, int tile, int index, int bytes) {
    byte[] b = new byte[bytes];
    byte[] tag = (image + "/" + epoch + "/" + tile + "/" + index).getBytes();
    for (int i = 0; i < b.length; i++) {
      b[i] = tag[i % tag.length];
    }
    return ByteString.copyFrom(b);
  }

  /** Puts fragments 0..count-1 of tile 0, each {@code bytes} long. */
  public PutFragmentsResponse put(int who, String image, int epoch, int count, int bytes) {
    PutFragmentsRequest.Builder r = PutFragmentsRequest.newBuilder().setImageId(image);
    r.setKeyEpoch(epoch);
    for (int i = 0; i < count; i++) {
      r.addFragments(
          StoredFragment.newBuilder()
              .setTileIndex(0)
              .setFragmentIndex(i)
              .setData(data(image, epoch, 0, i, bytes)));
    }
    return client(who).fragments().put(r.build());
  }

  public GetFragmentsResponse get(int who, String image, int epoch, int count) {
    GetFragmentsRequest.Builder r =
        GetFragmentsRequest.newBuilder().setImageId(image).setKeyEpoch(epoch);
    for (int i = 0; i < count; i++) {
      r.addRefs(FragmentRef.newBuilder().setTileIndex(0).setFragmentIndex(i));
    }
    return client(who).fragments().get(r.build());
  }

  public static Status.Code refusal(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  public SubmitResponse commit(int who, Payload payload) {
    long nonce = nonces.merge(who, 1L, Long::sum);
    SubmitResponse r =
        client(who)
            .submit()
            .submit(
                SubmitRequest.newBuilder()
                    .setTx(txs.sign(key(who), nonce, 1_000, payload))
                    .setWaitForCommit(true)
                    .build());
    assertTrue(r.getCommitted(), r.getMessage());
    return r;
  }

  public SubmitResponse anchor(int who, String image) {
    return commit(who, Payload.newBuilder().setImageAnchor(AnchorTxFactory.anchor(image)).build());
  }

  public void grant(int owner, String image, int grantee, int epoch) {
    commit(
        owner,
        Payload.newBuilder()
            .setAccessGrant(
                AccessGrant.newBuilder()
                    .setImageId(image)
                    .setGrantee(publicKey(grantee))
                    .setWrappedKey(ByteString.copyFromUtf8("wrapped"))
                    .setKeyEpoch(epoch))
            .build());
  }

  public void revoke(int owner, String image, int grantee) {
    commit(
        owner,
        Payload.newBuilder()
            .setAccessRevoke(
                AccessRevoke.newBuilder().setImageId(image).setGrantee(publicKey(grantee)))
            .build());
  }

  /** A rekey with a valid placement: every tile's one fragment on this chain's only validator. */
  public void rekey(int owner, String image, int epoch) {
    int tiles = AnchorTxFactory.GRID_SIDE_TILES * AnchorTxFactory.GRID_SIDE_TILES;
    List<TilePlacement> placed = new ArrayList<>();
    for (int t = 0; t < tiles; t++) {
      placed.add(
          TilePlacement.newBuilder()
              .addNodeIndices(0)
              .addFragmentSha256(ByteString.copyFrom(new byte[32]))
              .build());
    }
    commit(
        owner,
        Payload.newBuilder()
            .setImageRekey(
                ImageRekey.newBuilder()
                    .setImageId(image)
                    .setKeyEpoch(epoch)
                    .setEncryption(EncryptionInfo.newBuilder().setAlgorithm("AES-256-GCM"))
                    .setPlacement(
                        PlacementInfo.newBuilder()
                            .setFragmentsNeeded(1)
                            .setFragmentsTotal(1)
                            .addNodes(validatorKey())
                            .addAllTiles(placed)))
            .build());
  }

  public static void assertRefused(Status.Code expected, Runnable call) {
    assertEquals(expected, refusal(call));
  }

  @Override
  public void close() {
    clients.values().forEach(NodeClient::close);
    node.close();
  }
}
