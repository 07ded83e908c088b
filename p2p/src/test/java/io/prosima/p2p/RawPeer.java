package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.prosima.proto.v1.Hello;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.PeerFrame;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven TLS client for tests: connects to a node with any key, then sends whatever frames
 * (or raw bytes) the test wants and records what comes back.
 */
public final class RawPeer implements AutoCloseable {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  final Channel channel;
  final Future<Channel> handshake;
  public final BlockingQueue<PeerFrame> received = new LinkedBlockingQueue<>();

  public RawPeer(KeyFile key, ByteString serverKey, int port) throws Exception {
    PeerTls tls = PeerTls.create(key, Set.of(serverKey)::contains);
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(tls.client.newHandler(ch.alloc()))
                        .addLast(new LengthFieldBasedFrameDecoder(64 << 20, 0, 4, 0, 4))
                        .addLast(
                            new SimpleChannelInboundHandler<ByteBuf>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg)
                                  throws Exception {
                                received.add(PeerFrame.parseFrom(msg.nioBuffer()));
                              }

                              @Override
                              public void exceptionCaught(ChannelHandlerContext ctx, Throwable c) {
                                ctx.close();
                              }
                            });
                  }
                })
            .connect(TestNodes.local(port))
            .sync()
            .channel();
    handshake = channel.pipeline().get(SslHandler.class).handshakeFuture();
  }

  public boolean handshakeDone() {
    return handshake.awaitUninterruptibly(5, TimeUnit.SECONDS) && handshake.isSuccess();
  }

  public void send(PeerFrame frame) {
    byte[] bytes = frame.toByteArray();
    sendRaw(Unpooled.buffer(4 + bytes.length).writeInt(bytes.length).writeBytes(bytes));
  }

  public void sendHello(String chainId) {
    send(PeerFrame.newBuilder().setHello(Hello.newBuilder().setChainId(chainId)).build());
  }

  public void sendRaw(ByteBuf bytes) {
    channel.writeAndFlush(bytes);
  }

  /** Stops reading from the socket, so the node's writes back up. */
  public void stopReading() {
    channel.config().setAutoRead(false);
  }

  /** Reads again (a peer that does not read cannot notice that the node closed the link). */
  public void resumeReading() {
    channel.config().setAutoRead(true);
    channel.read();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
