package io.prosima.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prosima.node.fragments.FragmentEvents;
import io.prosima.node.fragments.Fragments;
import io.prosima.node.ledger.ConsensusDriver;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.LedgerEvents;
import io.prosima.p2p.P2pStats;
import io.prosima.proto.v1.RefusalCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A node's Prometheus metrics, in its own registry (several nodes may share a JVM in tests), and
 * the text endpoint. The endpoint is plain HTTP without authentication, so it binds only to a
 * loopback address: scrape it locally or through an authenticated proxy.
 */
public final class NodeMetrics implements LedgerEvents, FragmentEvents, AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter admitted;
  private final Counter refused;
  private final Counter blocks;
  private final Histogram txCommitLatency;
  private final Histogram blockCommitDuration;
  private final Counter fragmentRequests;
  private final Counter fragmentsDeleted;
  private HTTPServer server;

  public NodeMetrics(LedgerCore core) {
    GaugeWithCallback.builder()
        .name("prosima_height")
        .help("Height of the last committed block")
        .callback(cb -> cb.call(core.store().height()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("prosima_mempool_txs")
        .help("Transactions admitted and not yet committed")
        .callback(cb -> cb.call(core.mempoolSize()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_store_bytes_written_total")
        .help("Bytes the ledger store handed RocksDB to write: blocks, indexes, state, vote record")
        .callback(cb -> cb.call(core.store().bytesWritten()))
        .register(registry);
    admitted =
        Counter.builder()
            .name("prosima_txs_admitted_total")
            .help("Transactions admitted to the mempool")
            .register(registry);
    refused =
        Counter.builder()
            .name("prosima_txs_refused_total")
            .help("Transactions refused, at admission or execution, by reason")
            .labelNames("code")
            .register(registry);
    blocks =
        Counter.builder()
            .name("prosima_blocks_committed_total")
            .help("Blocks committed by this node")
            .register(registry);
    txCommitLatency =
        Histogram.builder()
            .name("prosima_tx_commit_latency_seconds")
            .help("From admission to durable commit, per transaction")
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    blockCommitDuration =
        Histogram.builder()
            .name("prosima_block_commit_seconds")
            .help("From taking transactions out of the mempool to the synced write, per block")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    fragmentRequests =
        Counter.builder()
            .name("prosima_fragment_requests_total")
            .help("Fragment Put and Get calls, served or refused (with the refusal reason)")
            .labelNames("op", "outcome", "reason")
            .register(registry);
    fragmentsDeleted =
        Counter.builder()
            .name("prosima_fragments_deleted_total")
            .help("Fragments deleted by garbage collection (orphaned, foreign or retired)")
            .register(registry);
  }

  /** Gauges of what the fragment store holds, read from its counters at each scrape. */
  public void watchFragments(Fragments fragments) {
    GaugeWithCallback.builder()
        .name("prosima_fragment_bytes_stored")
        .help("Bytes of image fragments this node holds")
        .callback(cb -> cb.call(fragments.bytesStored()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("prosima_fragments_stored")
        .help("Image fragments this node holds")
        .callback(cb -> cb.call(fragments.fragmentsStored()))
        .register(registry);
  }

  @Override
  public void fragmentRequest(String op, boolean served, String reason) {
    fragmentRequests.labelValues(op, served ? "served" : "refused", reason).inc();
  }

  @Override
  public void fragmentsDeleted(int count) {
    fragmentsDeleted.inc(count);
  }

  /** Consensus gauges: the core's current round and the blocks this node took from block sync. */
  public void watchConsensus(ConsensusDriver consensus) {
    GaugeWithCallback.builder()
        .name("prosima_round")
        .help("Consensus round of the height being decided")
        .callback(cb -> cb.call(consensus.round()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_blocks_synced_total")
        .help("Blocks committed from block sync (fetched from peers, certificate checked)")
        .callback(cb -> cb.call(consensus.blocksSynced()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_consensus_peer_inputs_dropped_total")
        .help("Peer consensus messages and tx batches refused by the core or over a queue bound")
        .callback(cb -> cb.call(consensus.dropped()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_consensus_txs_fetch_asked_total")
        .help("Transactions of compact proposals missing from the mempool, asked of neighbours")
        .callback(cb -> cb.call(consensus.txsFetchAsked()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_consensus_txs_fetch_answered_total")
        .help(
            "Transactions neighbours sent in answer to this node's fetches: for compact proposals"
                + " (all neighbours answer) and after announcements")
        .callback(cb -> cb.call(consensus.txsFetchAnswered()))
        .register(registry);
  }

  /** Overlay gauges and counters, read from the p2p layer's statistics at each scrape. */
  public void watchP2p(Supplier<P2pStats> stats) {
    GaugeWithCallback.builder()
        .name("prosima_peers")
        .help("Overlay neighbours connected now")
        .callback(cb -> cb.call(stats.get().connectedPeers()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_p2p_bytes_sent_total")
        .help("Bytes sent to overlay neighbours (TLS records on the socket)")
        .callback(cb -> cb.call(stats.get().bytesSent()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_p2p_bytes_received_total")
        .help("Bytes received from overlay neighbours (TLS records on the socket)")
        .callback(cb -> cb.call(stats.get().bytesReceived()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_p2p_frames_dropped_total")
        .help("Frames dropped: rate limit, full outbound queue or a bad frame")
        .callback(cb -> cb.call(stats.get().framesDropped()))
        .register(registry);
    CounterWithCallback.builder()
        .name("prosima_p2p_tx_gossip_dropped_total")
        .help("Transaction batches not sent to a neighbour whose queue held the tx gossip bound")
        .callback(cb -> cb.call(stats.get().txGossipDropped()))
        .register(registry);
  }

  /** Starts the endpoint at {@code listen} (host:port, loopback only; port 0 picks one). */
  public void serve(InetSocketAddress listen) throws IOException {
    serve(listen, false);
  }

  /**
   * Starts the endpoint at {@code listen} (port 0 picks one). It has no authentication, so an
   * address other than loopback must be allowed explicitly.
   */
  public void serve(InetSocketAddress listen, boolean nonLoopbackAllowed) throws IOException {
    InetAddress address = listen.getAddress();
    if (address == null || (!nonLoopbackAllowed && !address.isLoopbackAddress())) {
      throw new IllegalArgumentException(
          "metricsListen "
              + listen.getHostString()
              + " is not a loopback address; the metrics endpoint has no authentication, so"
              + " serving it elsewhere needs metricsNonLoopbackAllowed = true");
    }
    server =
        HTTPServer.builder()
            .inetAddress(address)
            .port(listen.getPort())
            .registry(registry)
            .buildAndStart();
  }

  public int port() {
    return server == null ? -1 : server.getPort();
  }

  @Override
  public void admitted(int count) {
    admitted.inc(count);
  }

  @Override
  public void refused(RefusalCode code) {
    refused.labelValues(code.name()).inc();
  }

  @Override
  public void blockCommitted(long startNanos, long endNanos, long[] admittedAtNanos) {
    blocks.inc();
    blockCommitDuration.observe((endNanos - startNanos) / 1e9);
    for (long at : admittedAtNanos) {
      if (at > 0) {
        txCommitLatency.observe((endNanos - at) / 1e9);
      }
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
