package io.prosima.node.fragments;

import io.grpc.BindableService;
import io.prosima.node.NodeConfig;
import io.prosima.node.ledger.ImageAccess;
import io.prosima.proto.v1.KeyFile;
import io.prosima.storage.FragmentStore;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The image fragments this validator keeps for uploaders: the gRPC {@code FragmentService} (put and
 * get, with the access rules of DESIGN.md) and the garbage collector on its own daemon thread. Puts
 * and garbage-collection passes hold one lock, so the quota counters and claims they keep stay
 * exact; gets read without it.
 */
public final class Fragments implements AutoCloseable {
  final FragmentStore store;
  final ImageAccess access;
  final Clock clock;
  final FragmentEvents events;
  final long quotaBytesPerIdentity;
  final long orphanTtlMs;
  final Object lock = new Object();
  // Replaced by each garbage-collection pass (a fresh recount); changed only under the lock.
  volatile FragmentAccounting accounting;

  private final FragmentService service;
  private final FragmentGc gc;
  private final ScheduledExecutorService gcThread;

  private Fragments(
      FragmentStore store,
      ImageAccess access,
      KeyFile nodeKey,
      String chainId,
      NodeConfig config,
      Clock clock,
      FragmentEvents events) {
    this.store = store;
    this.access = access;
    this.clock = clock;
    this.events = events;
    this.quotaBytesPerIdentity = config.fragmentQuotaBytesPerIdentity();
    this.orphanTtlMs = config.fragmentOrphanTtlMs();
    this.accounting = FragmentAccounting.recount(store);
    this.service = new FragmentService(this, new ReceiptSigner(chainId, nodeKey));
    this.gc = new FragmentGc(this);
    this.gcThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fragment-gc");
              t.setDaemon(true);
              return t;
            });
    gcThread.scheduleWithFixedDelay(
        gc::pass,
        config.fragmentGcIntervalMs(),
        config.fragmentGcIntervalMs(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Counts what {@code store} holds (a full scan) and starts garbage collection every {@code
   * config.fragmentGcIntervalMs()}.
   *
   * @param nodeKey this validator's key: it signs the storage receipts
   */
  public static Fragments start(
      FragmentStore store,
      ImageAccess access,
      KeyFile nodeKey,
      String chainId,
      NodeConfig config,
      Clock clock,
      FragmentEvents events) {
    return new Fragments(store, access, nodeKey, chainId, config, clock, events);
  }

  /** The gRPC service, to be served behind the peer-identity interceptor. */
  public BindableService service() {
    return service;
  }

  /** Runs one garbage-collection pass now (tests, operators); returns the fragments deleted. */
  public int collectGarbage() {
    return gc.pass();
  }

  public long bytesStored() {
    return accounting.bytes();
  }

  public long fragmentsStored() {
    return accounting.fragments();
  }

  @Override
  public void close() {
    gcThread.shutdownNow();
    try {
      gcThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
