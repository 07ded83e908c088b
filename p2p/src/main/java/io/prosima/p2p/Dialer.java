package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one outbound connection to a neighbour we dial: connects, and after a failure or a
 * disconnect connects again after a backoff delay, until the network closes. The address is the
 * neighbour's genesis address, left unresolved so that a host name is looked up at each attempt.
 * Failures (no such host, refused, no answer, a TLS identity that is not the genesis key) are
 * warned about with the neighbour's key, address and the next delay, throttled by {@link
 * DialWarnings}.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  private final ByteString key;
  private final InetSocketAddress address;
  private final Bootstrap bootstrap;
  private final EventLoopGroup group;
  private final Backoff backoff;
  private final BooleanSupplier closed;
  private final DialWarnings warnings = new DialWarnings();
  private volatile String lastFailure;

  Dialer(
      ByteString key,
      InetSocketAddress address,
      Bootstrap bootstrap,
      EventLoopGroup group,
      Backoff backoff,
      BooleanSupplier closed) {
    this.key = key;
    this.address = address;
    this.bootstrap = bootstrap;
    this.group = group;
    this.backoff = backoff;
    this.closed = closed;
  }

  void connect() {
    if (closed.getAsBoolean()) {
      return;
    }
    ChannelFuture f;
    try {
      f = bootstrap.connect(address);
    } catch (RejectedExecutionException e) {
      return; // shutting down
    }
    f.addListener(
        (ChannelFuture done) -> {
          if (!done.isSuccess()) {
            if (!closed.getAsBoolean()) {
              failed(reason(done.cause()));
            }
            retry();
            return;
          }
          done.channel().closeFuture().addListener(c -> retry());
        });
  }

  /** The connection got through Hello: the next failure starts the backoff from the minimum. */
  void connected() {
    backoff.reset();
    lastFailure = null;
    int failures = warnings.succeeded();
    if (failures > 0) {
      log.info(
          "p2p: reached neighbour {} at {} after {} failed attempts",
          PeerKeyOrder.shortKey(key),
          hostPort(),
          failures);
    }
  }

  /**
   * An attempt that connected but failed after: the TLS handshake, or the neighbour's identity. The
   * connection's close schedules the next attempt.
   */
  void failed(String reason) {
    lastFailure = reason;
    String line =
        "p2p: cannot reach neighbour {} at {}: {}; dialing again with back-off (up to {} ms)";
    if (warnings.failed(reason, System.nanoTime())) {
      log.warn(line, PeerKeyOrder.shortKey(key), hostPort(), reason, backoff.maxMs());
    } else {
      log.debug(line, PeerKeyOrder.shortKey(key), hostPort(), reason, backoff.maxMs());
    }
  }

  /** Why the last attempt failed, or null after a success (tests read it). */
  String lastFailure() {
    return lastFailure;
  }

  private String hostPort() {
    return address.getHostString() + ":" + address.getPort();
  }

  /** A connect failure in words, without a stack trace. */
  static String reason(Throwable cause) {
    if (cause == null) {
      return "cancelled";
    }
    if (cause instanceof java.net.UnknownHostException) {
      return "host name does not resolve";
    }
    // Netty's timeout is a ConnectException too: test it first.
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return "no answer within " + P2pNetwork.CONNECT_TIMEOUT_MS + " ms";
    }
    if (cause instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  private void retry() {
    if (closed.getAsBoolean()) {
      return;
    }
    try {
      group.schedule(this::connect, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The event loops are shutting down: nothing to reconnect to.
    }
  }
}
