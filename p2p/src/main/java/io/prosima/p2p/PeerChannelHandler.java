package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.prosima.p2p.tls.PeerKeys;
import io.prosima.proto.v1.PeerFrame;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol: after the TLS handshake, check the peer's key; exchange Hello; then
 * rate-limit, parse and dispatch frames. Any protocol violation closes the connection.
 */
final class PeerChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PeerChannelHandler.class);

  private final P2pNetwork net;
  private final boolean outbound;
  private final ByteString expectedKey; // the neighbour we dialed, null when accepted
  private final Runnable authenticated; // frees this connection's pending-handshake slot
  private final TokenBucket bucket;
  private final TokenBucket byteBucket;
  private Peer peer; // set after the handshake
  private boolean registered; // Hello received and checked

  PeerChannelHandler(
      P2pNetwork net, boolean outbound, ByteString expectedKey, Runnable authenticated) {
    this.net = net;
    this.authenticated = authenticated;
    this.outbound = outbound;
    this.expectedKey = expectedKey;
    this.bucket = new TokenBucket(net.config().framesPerSecondPerPeer(), System.nanoTime());
    this.byteBucket =
        new TokenBucket(P2pConfig.INBOUND_BYTES_PER_SECOND_PER_PEER_MAX, System.nanoTime());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      onHandshake(ctx, done);
    } else if (evt instanceof IdleStateEvent) {
      log.info("p2p: closing silent connection {}", describe(ctx));
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void onHandshake(ChannelHandlerContext ctx, SslHandshakeCompletionEvent done) {
    // Done, either way: a failure closes the connection, a success leaves a checked key.
    authenticated.run();
    if (!done.isSuccess()) {
      if (outbound) {
        // The neighbour we dialed, by its genesis key and address: the dialer warns, throttled.
        net.dialFailed(expectedKey, "TLS handshake failed: " + done.cause().getMessage());
      } else {
        log.info(
            "p2p: TLS handshake with {} failed: {}",
            ctx.channel().remoteAddress(),
            done.cause().getMessage());
      }
      ctx.close();
      return;
    }
    ByteString key;
    try {
      key = PeerKeys.fromSession(ctx.pipeline().get(SslHandler.class).engine().getSession());
    } catch (SSLException e) {
      key = null;
    }
    String refusal = net.refusal(key, outbound, expectedKey);
    if (refusal != null) {
      if (outbound) {
        net.dialFailed(expectedKey, refusal);
      } else {
        log.info("p2p: refusing {}: {}", ctx.channel().remoteAddress(), refusal);
      }
      ctx.close();
      return;
    }
    peer = new Peer(key, ctx.channel(), outbound);
    net.sendHello(peer);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      if (peer == null) {
        ctx.close(); // cannot happen after TLS, but never process frames from an unknown key
        return;
      }
      long now = System.nanoTime();
      // Frames bound the work per frame, bytes bound the memory: one frame may be 32 MiB, and
      // what we hand the node (gossip bodies, synced blocks) is held until it gets to it.
      if (!bucket.tryTake(now) || !byteBucket.tryTake(buf.readableBytes(), now)) {
        net.counters().framesDropped.increment();
        return;
      }
      InboundFrames.Decision decision =
          InboundFrames.decide(buf.nioBuffer(), registered, net.config().chainId());
      if (decision instanceof InboundFrames.Close close) {
        if (close.protocolViolation()) {
          badFrame(ctx, close.reason());
        } else {
          log.info("p2p: refusing {}: {}", peer.shortKey, close.reason());
          ctx.close();
        }
        return;
      }
      net.counters().framesReceived.increment();
      if (decision instanceof InboundFrames.Register) {
        registered = true;
        net.register(peer);
        return;
      }
      PeerFrame frame = ((InboundFrames.Deliver) decision).frame();
      switch (frame.getKindCase()) {
        case GOSSIP -> net.onGossip(peer, frame.getGossip());
        case STATUS -> net.onStatus(peer, frame.getStatus());
        case SYNC_REQUEST -> net.onSyncRequest(peer, frame.getSyncRequest());
        case SYNC_RESPONSE -> net.onSyncResponse(peer, frame.getSyncResponse());
        case TX_FETCH -> net.onTxFetch(peer, frame.getTxFetch());
        case TX_FETCHED -> net.onTxFetched(peer, frame.getTxFetched());
        case TX_ANNOUNCE -> net.onTxAnnounce(peer, frame.getTxAnnounce());
        case HELLO, KIND_NOT_SET ->
            throw new IllegalStateException("InboundFrames delivered a " + frame.getKindCase());
      }
    } finally {
      buf.release();
    }
  }

  private void badFrame(ChannelHandlerContext ctx, String reason) {
    net.counters().framesDropped.increment();
    log.info("p2p: closing {}: {}", describe(ctx), reason);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (registered) {
      net.unregister(peer);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      net.counters().framesDropped.increment();
      log.info("p2p: closing {}: frame over {} bytes", describe(ctx), net.config().frameBytesMax());
    } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      log.debug("p2p: TLS error on {}: {}", describe(ctx), cause.getCause().getMessage());
    } else {
      log.info("p2p: closing {}: {}", describe(ctx), cause.toString());
    }
    ctx.close();
  }

  private String describe(ChannelHandlerContext ctx) {
    return peer != null ? peer.shortKey : String.valueOf(ctx.channel().remoteAddress());
  }
}
