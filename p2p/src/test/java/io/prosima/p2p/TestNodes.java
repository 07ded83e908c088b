package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxBatch;
import io.prosima.proto.wire.Ed25519Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keys, ports, configs, fake block sources and recording handlers for p2p tests. */
final class TestNodes {
  static final String CHAIN = "test-chain";
  static final int FRAME_BYTES_MAX = 256 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestNodes() {}

  /** n key files, sorted by public key (unsigned), so key 0 dials every other key. */
  static List<KeyFile> sortedKeys(int n) {
    List<KeyFile> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] sk = Ed25519Keys.newPrivateKey(RANDOM);
      keys.add(
          KeyFile.newBuilder()
              .setName("node" + i)
              .setValidator(true)
              .setEd25519PrivateKey(ByteString.copyFrom(sk))
              .setEd25519PublicKey(ByteString.copyFrom(Ed25519Keys.publicKey(sk)))
              .build());
    }
    keys.sort(
        Comparator.comparing(
            KeyFile::getEd25519PublicKey, ByteString.unsignedLexicographicalComparator()));
    List<KeyFile> named = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      named.add(keys.get(i).toBuilder().setName("node" + i).build());
    }
    return named;
  }

  static ByteString pub(KeyFile key) {
    return key.getEd25519PublicKey();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InetSocketAddress local(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  static P2pConfig config(
      String chain, KeyFile key, int port, Map<ByteString, InetSocketAddress> neighbours) {
    return config(chain, key, port, neighbours, P2pConfig.GOSSIP_TTL_DEFAULT);
  }

  static P2pConfig config(
      String chain,
      KeyFile key,
      int port,
      Map<ByteString, InetSocketAddress> neighbours,
      int gossipTtl) {
    return new P2pConfig(
        chain,
        key,
        local(port),
        neighbours,
        FRAME_BYTES_MAX,
        gossipTtl,
        P2pConfig.FRAMES_PER_SECOND_PER_PEER_DEFAULT,
        4L * FRAME_BYTES_MAX,
        Duration.ofMillis(100),
        Duration.ofMillis(50),
        Duration.ofMillis(300));
  }

  /** Neighbour maps for an undirected edge list over nodes with the given keys and ports. */
  static List<Map<ByteString, InetSocketAddress>> neighbours(
      List<KeyFile> keys, int[] ports, int[][] edges) {
    List<Map<ByteString, InetSocketAddress>> maps = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      maps.add(new HashMap<>());
    }
    for (int[] e : edges) {
      maps.get(e[0]).put(pub(keys.get(e[1])), local(ports[e[1]]));
      maps.get(e[1]).put(pub(keys.get(e[0])), local(ports[e[0]]));
    }
    return maps;
  }

  static GossipBody body() {
    return GossipBody.newBuilder().setTxs(TxBatch.getDefaultInstance()).build();
  }

  /** A body that differs from every other {@code n}: de-duplication is by content. */
  static GossipBody body(long n) {
    return GossipBody.newBuilder()
        .setTxs(TxBatch.newBuilder().addTxs(Transaction.newBuilder().setChainId(CHAIN).setNonce(n)))
        .build();
  }

  static CommittedBlock block(long height) {
    return CommittedBlock.newBuilder()
        .setBlock(
            Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setChainId(CHAIN).setHeight(height)))
        .build();
  }

  /** Records what the network delivers. */
  static final class RecordingHandler implements P2pHandler {
    final List<ByteString> gossipOrigins = new CopyOnWriteArrayList<>();
    final List<GossipBody> gossipBodies = new CopyOnWriteArrayList<>();
    final List<CommittedBlock> synced = new CopyOnWriteArrayList<>();
    final List<io.prosima.proto.v1.Transaction> fetched = new CopyOnWriteArrayList<>();

    /** What a neighbour's fetch finds here, by hash. */
    final java.util.Map<ByteString, io.prosima.proto.v1.Transaction> txs =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final FakeBlockSource applyTo;

    RecordingHandler() {
      this(null);
    }

    /** Applies synced blocks to {@code applyTo}, as a node would after checking them. */
    RecordingHandler(FakeBlockSource applyTo) {
      this.applyTo = applyTo;
    }

    /** What {@link #onGossip} answers; tests set REFUSE to play a node that finds bodies bad. */
    volatile Verdict gossipVerdict = Verdict.ACCEPT;

    /** What {@link #onSyncedBlocks} answers (blocks are applied only when ACCEPT). */
    volatile Verdict syncVerdict = Verdict.ACCEPT;

    @Override
    public Verdict onGossip(ByteString neighbour, ByteString origin, GossipBody body) {
      gossipOrigins.add(origin);
      gossipBodies.add(body);
      return gossipVerdict;
    }

    private volatile ByteString blockedHash;
    private volatile java.util.concurrent.CountDownLatch blockedUntil;

    /** A fetch naming {@code hash} holds the serving thread until {@code release} opens. */
    void blockFetchesOf(ByteString hash, java.util.concurrent.CountDownLatch release) {
      blockedUntil = release;
      blockedHash = hash;
    }

    @Override
    public List<io.prosima.proto.v1.Transaction> onTxFetch(
        ByteString neighbour, List<ByteString> txHashes) {
      if (blockedHash != null && txHashes.contains(blockedHash)) {
        try {
          blockedUntil.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<io.prosima.proto.v1.Transaction> found = new ArrayList<>();
      for (ByteString h : txHashes) {
        if (txs.containsKey(h)) {
          found.add(txs.get(h));
        }
      }
      return found;
    }

    @Override
    public void onTxsFetched(ByteString neighbour, List<io.prosima.proto.v1.Transaction> got) {
      fetched.addAll(got);
    }

    @Override
    public Verdict onSyncedBlocks(ByteString peer, List<CommittedBlock> blocks) {
      synced.addAll(blocks);
      if (syncVerdict == Verdict.ACCEPT && applyTo != null) {
        applyTo.apply(blocks);
      }
      return syncVerdict;
    }
  }

  /** A chain in memory that serves at most {@code blocksPerCall} blocks per request. */
  static final class FakeBlockSource implements BlockSource {
    private final List<CommittedBlock> chain = new ArrayList<>();
    private final int blocksPerCall;

    FakeBlockSource(long height, int blocksPerCall) {
      for (long h = 1; h <= height; h++) {
        chain.add(block(h));
      }
      this.blocksPerCall = blocksPerCall;
    }

    @Override
    public synchronized long height() {
      return chain.size();
    }

    @Override
    public synchronized List<CommittedBlock> blocks(long fromHeight, int maxBlocks, long maxBytes) {
      if (fromHeight < 1 || fromHeight > chain.size()) {
        return List.of();
      }
      int from = (int) fromHeight - 1;
      int to = Math.min(chain.size(), from + Math.min(maxBlocks, blocksPerCall));
      return List.copyOf(chain.subList(from, to));
    }

    /** Appends blocks that extend the chain; a gap or a replay is a test failure. */
    synchronized void apply(List<CommittedBlock> blocks) {
      for (CommittedBlock b : blocks) {
        long h = b.getBlock().getHeader().getHeight();
        if (h != chain.size() + 1) {
          throw new AssertionError("block " + h + " does not extend height " + chain.size());
        }
        chain.add(b);
      }
    }
  }

  static final BlockSource EMPTY = new FakeBlockSource(0, 64);
}
