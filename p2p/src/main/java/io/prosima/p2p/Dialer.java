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
 * disconnect connects again after a backoff delay, until the network closes.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  private final ByteString key;
  private final InetSocketAddress address;
  private final Bootstrap bootstrap;
  private final EventLoopGroup group;
  private final Backoff backoff;
  private final BooleanSupplier closed;

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
            log.debug(
                "p2p: cannot reach {} at {}: {}",
                PeerKeyOrder.shortKey(key),
                address,
                done.cause() == null ? "cancelled" : done.cause().getMessage());
            retry();
            return;
          }
          done.channel().closeFuture().addListener(c -> retry());
        });
  }

  /** The connection got through Hello: the next failure starts the backoff from the minimum. */
  void connected() {
    backoff.reset();
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
