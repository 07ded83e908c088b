package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.SyncRequest;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxBatch;
import io.prosima.proto.v1.Vote;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackpressureTest {
  private static final int BROADCASTS = 300;

  @Test
  void gossipToANeighbourThatDoesNotReadIsDroppedOnceItsQueueIsFull() throws Exception {
    List<KeyFile> keys = TestNodes.sortedKeys(2);
    try (P2pNetwork node =
            P2pNetwork.start(
                TestNodes.config(
                    CHAIN,
                    keys.get(1),
                    0,
                    Map.of(pub(keys.get(0)), TestNodes.local(TestNodes.freePort()))),
                new RecordingHandler(),
                TestNodes.EMPTY);
        RawPeer slow = new RawPeer(keys.get(0), pub(keys.get(1)), node.port())) {
      assertTrue(slow.handshakeDone());
      slow.sendHello(CHAIN);
      await().atMost(Duration.ofSeconds(5)).until(() -> node.connectedPeers().size() == 1);
      slow.stopReading();
      GossipBody big =
          GossipBody.newBuilder()
              .setTxs(
                  TxBatch.newBuilder()
                      .addTxs(
                          Transaction.newBuilder()
                              .setSignature(ByteString.copyFrom(new byte[200 * 1024]))))
              .build();

      // 60 MB offered against a 1 MiB bound (plus socket buffers): broadcast must not block.
      for (int i = 0; i < BROADCASTS; i++) {
        node.broadcast(big);
      }

      P2pStats stats = node.stats();
      assertTrue(stats.framesDropped() > BROADCASTS / 2, "dropped " + stats.framesDropped());
      assertTrue(stats.bytesSent() < BROADCASTS * 200L * 1024 / 2, "sent " + stats.bytesSent());
      assertTrue(slow.isOpen(), "a slow neighbour loses gossip, not its connection");
    }
  }

  @Test
  void transactionGossipStopsAtItsOwnBoundSoAConsensusMessageStillFitsTheQueue() throws Exception {
    List<KeyFile> keys = TestNodes.sortedKeys(2);
    try (P2pNetwork node =
            P2pNetwork.start(
                TestNodes.config(
                    CHAIN,
                    keys.get(1),
                    0,
                    Map.of(pub(keys.get(0)), TestNodes.local(TestNodes.freePort()))),
                new RecordingHandler(),
                TestNodes.EMPTY);
        RawPeer slow = new RawPeer(keys.get(0), pub(keys.get(1)), node.port())) {
      assertTrue(slow.handshakeDone());
      slow.sendHello(CHAIN);
      await().atMost(Duration.ofSeconds(5)).until(() -> node.connectedPeers().size() == 1);
      slow.stopReading();
      GossipBody txs =
          GossipBody.newBuilder()
              .setTxs(
                  TxBatch.newBuilder()
                      .addTxs(
                          Transaction.newBuilder()
                              .setSignature(ByteString.copyFrom(new byte[200 * 1024]))))
              .build();
      for (int i = 0; i < BROADCASTS; i++) {
        node.broadcast(txs);
      }
      P2pStats flooded = node.stats();
      assertTrue(flooded.txGossipDropped() > BROADCASTS / 2, "tx gossip dropped " + flooded);

      // A proposal-sized consensus message (~150 KiB) after the flood: the transactions left
      // room for it (with one FIFO bound for everything, the queue was full and it was dropped).
      GossipBody vote =
          GossipBody.newBuilder()
              .setConsensus(
                  ConsensusMessage.newBuilder()
                      .setVote(
                          Vote.newBuilder()
                              .setChainId(CHAIN)
                              .setSignature(ByteString.copyFrom(new byte[150 * 1024]))))
              .build();
      node.broadcast(vote);

      P2pStats after = node.stats();
      assertEquals(flooded.framesDropped(), after.framesDropped(), "the vote was dropped");
      // (Status frames go out on a timer meanwhile, so sent frames can grow by more than one.)
      assertTrue(after.framesSent() > flooded.framesSent(), "nothing sent after the flood");
    }
  }

  @Test
  void syncAnswersToANeighbourThatDoesNotReadStopAtTheOutboundByteBound() throws Exception {
    List<KeyFile> keys = TestNodes.sortedKeys(2);
    // Blocks of ~200 KiB, one per answer: each answer is close to a whole frame.
    BlockSource bigBlocks =
        new BlockSource() {
          @Override
          public long height() {
            return 1_000;
          }

          @Override
          public List<CommittedBlock> blocks(long fromHeight, int maxBlocks, long maxBytes) {
            return List.of(
                TestNodes.block(fromHeight).toBuilder()
                    .setStateHashAfter(ByteString.copyFrom(new byte[200 * 1024]))
                    .build());
          }
        };
    P2pConfig config =
        TestNodes.config(
            CHAIN, keys.get(1), 0, Map.of(pub(keys.get(0)), TestNodes.local(TestNodes.freePort())));
    try (P2pNetwork node = P2pNetwork.start(config, new RecordingHandler(), bigBlocks);
        RawPeer greedy = new RawPeer(keys.get(0), pub(keys.get(1)), node.port())) {
      assertTrue(greedy.handshakeDone());
      greedy.sendHello(CHAIN);
      await().atMost(Duration.ofSeconds(5)).until(() -> node.connectedPeers().size() == 1);
      greedy.stopReading();

      // 300 answers of ~200 KiB (60 MB) asked against a 1 MiB bound (plus socket buffers).
      for (int i = 0; i < 300; i++) {
        greedy.send(
            PeerFrame.newBuilder()
                .setSyncRequest(SyncRequest.newBuilder().setFromHeight(1 + i).setMaxBlocks(1))
                .build());
        Thread.sleep(2); // stay under the sync serving queue, so answers are made, not refused
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> node.stats().syncRequestsServed() + node.stats().framesDropped() >= 300);
      assertTrue(
          node.outboundQueuedBytes(pub(keys.get(0)))
              <= config.outboundBytesMaxPerPeer() + config.frameBytesMax(),
          "queued " + node.outboundQueuedBytes(pub(keys.get(0))));
    }
  }
}
