package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How transactions travel between mempools: announce, then request. A node that admits transactions
 * announces their hashes to each neighbour not known to hold them; a neighbour asks for the ones it
 * lacks from the first neighbour that announced them, and from the next announcer if the answer
 * does not come in time. Each transaction body then crosses each node once, where flooding sent it
 * over every overlay link (2.2 times the bodies per node on 4 validators, each copy paid in TLS,
 * parsing and hashing before it was found to be a duplicate).
 *
 * <p>Nothing here is trusted: an announcement only makes us ask, a withheld answer costs one
 * timeout before another announcer is asked, and every bound holds whatever neighbours send. The
 * node's {@link ConsensusDriver} and the deterministic simulator both run this class (through
 * {@link GossipIntake}). Thread-safe; time comes in as nanoseconds.
 */
public final class TxRelay {
  /** What the harness provides: point-to-point frames to one neighbour. */
  public interface Net {
    /** Tells {@code neighbour} that we hold these transactions (a TxAnnounce frame). */
    void announce(ByteString neighbour, List<ByteString> txHashes);

    /**
     * Asks {@code neighbour} for these transactions (a TxFetch frame; answers arrive as fetched).
     */
    void request(ByteString neighbour, List<ByteString> txHashes);
  }

  /**
   * A requested transaction not delivered within this is asked of its next announcer. Long enough
   * for a loaded node's answer queue: at 1 s, 4 validators under a flood each received about twice
   * the bodies they needed (answers slower than the timeout were asked for again). A withheld
   * answer costs this delay once; a proposal naming the transaction fetches it at once anyway.
   */
  public static final long REQUEST_TIMEOUT_MS = 4_000;

  /** Requests in flight, at most; announcements past it are ignored until some arrive. */
  static final int IN_FLIGHT_MAX = 50_000;

  /** Hashes remembered per neighbour as held by it (oldest forgotten first). */
  static final int KNOWN_PER_NEIGHBOUR_MAX = 100_000;

  /** Other announcers remembered per requested transaction. */
  static final int ALTERNATES_MAX = 4;

  /**
   * Requests per transaction, at most, counting those to the same announcer again when no other
   * announced it (a lost frame must not cost a node the transaction: a neighbour that lacks it
   * cannot complete a proposal naming it, and a compact proposal's fetch asks direct neighbours
   * only).
   */
  static final int ATTEMPTS_MAX = 5;

  /** Hashes per announcement or request frame, at most (the TxFetch bound). */
  public static final int HASHES_PER_FRAME_MAX = 10_000;

  private static final class Request {
    ByteString askedOf;
    long deadlineNanos;
    int attempts = 1;
    final List<ByteString> alternates = new ArrayList<>(1);

    Request(ByteString askedOf, long deadlineNanos) {
      this.askedOf = askedOf;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final Predicate<ByteString> held;
  private final long timeoutNanos;
  private final Map<ByteString, Request> inFlight = new HashMap<>();
  private final Map<ByteString, Map<ByteString, Boolean>> known = new HashMap<>();

  /**
   * @param held whether this node already holds a transaction (mempool or chain): never requested
   */
  public TxRelay(Predicate<ByteString> held) {
    this(held, REQUEST_TIMEOUT_MS * 1_000_000);
  }

  TxRelay(Predicate<ByteString> held, long timeoutNanos) {
    this.held = held;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * This node took these transactions into its mempool (from a client or a neighbour): announce
   * them to every neighbour not known to hold them.
   */
  public void admitted(List<ByteString> txHashes, Collection<ByteString> neighbours, Net net) {
    Map<ByteString, List<ByteString>> perNeighbour = new HashMap<>();
    synchronized (this) {
      for (ByteString h : txHashes) {
        inFlight.remove(h);
      }
      for (ByteString n : neighbours) {
        Map<ByteString, Boolean> theirs = known.get(n);
        List<ByteString> news = new ArrayList<>();
        for (ByteString h : txHashes) {
          if (theirs == null || !theirs.containsKey(h)) {
            news.add(h);
          }
        }
        if (!news.isEmpty()) {
          perNeighbour.put(n, news);
        }
      }
    }
    perNeighbour.forEach((n, hashes) -> inFrames(hashes, part -> net.announce(n, part)));
  }

  /** {@code from} announced transactions: request those we lack and are not asking anyone for. */
  public void onAnnounce(ByteString from, List<ByteString> txHashes, long nowNanos, Net net) {
    List<ByteString> ask = new ArrayList<>();
    synchronized (this) {
      Map<ByteString, Boolean> theirs = knownBy(from);
      for (ByteString h : txHashes) {
        if (h.size() != 32) {
          continue;
        }
        theirs.put(h, Boolean.TRUE);
        Request r = inFlight.get(h);
        if (r != null) {
          if (!r.askedOf.equals(from)
              && r.alternates.size() < ALTERNATES_MAX
              && !r.alternates.contains(from)) {
            r.alternates.add(from);
          }
          continue;
        }
        if (inFlight.size() >= IN_FLIGHT_MAX || held.test(h)) {
          continue;
        }
        inFlight.put(h, new Request(from, nowNanos + timeoutNanos));
        ask.add(h);
      }
    }
    inFrames(ask, part -> net.request(from, part));
  }

  /**
   * {@code from} asked us for these transactions, or sent them: it holds them (or soon will), so
   * they are not announced to it.
   */
  public synchronized void heldBy(ByteString from, List<ByteString> txHashes) {
    Map<ByteString, Boolean> theirs = knownBy(from);
    for (ByteString h : txHashes) {
      theirs.put(h, Boolean.TRUE);
    }
  }

  /**
   * Requests past their deadline go to their next announcer, or again to the same one when no other
   * announced it; after {@link #ATTEMPTS_MAX} they are dropped.
   */
  public void tick(long nowNanos, Net net) {
    Map<ByteString, List<ByteString>> again = new HashMap<>();
    synchronized (this) {
      Iterator<Map.Entry<ByteString, Request>> it = inFlight.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<ByteString, Request> e = it.next();
        Request r = e.getValue();
        if (nowNanos - r.deadlineNanos < 0) {
          continue;
        }
        if (r.attempts >= ATTEMPTS_MAX || held.test(e.getKey())) {
          it.remove(); // a later announcement, or the block that carries it, brings it
          continue;
        }
        if (!r.alternates.isEmpty()) {
          r.alternates.add(r.askedOf); // asked last again, should the others fail too
          r.askedOf = r.alternates.remove(0);
        }
        r.attempts++;
        r.deadlineNanos = nowNanos + timeoutNanos;
        again.computeIfAbsent(r.askedOf, n -> new ArrayList<>()).add(e.getKey());
      }
    }
    again.forEach((n, hashes) -> inFrames(hashes, part -> net.request(n, part)));
  }

  synchronized int inFlightCount() {
    return inFlight.size();
  }

  private Map<ByteString, Boolean> knownBy(ByteString neighbour) {
    return known.computeIfAbsent(
        neighbour,
        n ->
            new LinkedHashMap<>() {
              @Override
              protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
                return size() > KNOWN_PER_NEIGHBOUR_MAX;
              }
            });
  }

  private static void inFrames(
      List<ByteString> hashes, java.util.function.Consumer<List<ByteString>> send) {
    for (int i = 0; i < hashes.size(); i += HASHES_PER_FRAME_MAX) {
      send.accept(hashes.subList(i, Math.min(hashes.size(), i + HASHES_PER_FRAME_MAX)));
    }
  }
}
