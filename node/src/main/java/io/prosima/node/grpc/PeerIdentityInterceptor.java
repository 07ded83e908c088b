package io.prosima.node.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prosima.p2p.tls.PeerKeys;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the caller's verified Ed25519 key (from its TLS certificate) in the call context, and
 * refuses calls without one. TLS already refused unknown keys; this is the second lock.
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {
  static final Context.Key<ByteString> PEER_KEY = Context.key("prosima-peer-key");

  /** The verified Ed25519 key of the client of the current call (services behind this one). */
  public static ByteString caller() {
    ByteString key = PEER_KEY.get();
    if (key == null) {
      throw new IllegalStateException("service is not behind the PeerIdentityInterceptor");
    }
    return key;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    ByteString key = null;
    if (session != null) {
      try {
        key = PeerKeys.fromSession(session);
      } catch (SSLPeerUnverifiedException e) {
        key = null;
      }
    }
    if (key == null) {
      call.close(
          Status.UNAUTHENTICATED.withDescription("client certificate required"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(PEER_KEY, key), call, headers, next);
  }
}
