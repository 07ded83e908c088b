package io.prosima.p2p;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.SyncRequest;
import io.prosima.proto.v1.TxAnnounce;
import io.prosima.proto.v1.TxFetch;
import java.nio.ByteBuffer;

/**
 * What a connection does with one inbound frame's bytes (after the length prefix and the rate
 * limits): parse, refuse unknown fields, require Hello first and only once. No Netty here, so the
 * rule can be tested and fuzzed on bytes alone; {@link PeerChannelHandler} acts on the decision.
 */
final class InboundFrames {
  private InboundFrames() {}

  /** What to do with a frame. */
  sealed interface Decision permits Register, Deliver, Close {}

  /** The first frame, a Hello for our chain: the neighbour is registered. */
  record Register() implements Decision {}

  /** A registered neighbour's frame, for the network to act on by its kind. */
  record Deliver(PeerFrame frame) implements Decision {
    Deliver {
      if (frame.getKindCase() == PeerFrame.KindCase.HELLO
          || frame.getKindCase() == PeerFrame.KindCase.KIND_NOT_SET) {
        throw new IllegalArgumentException("only the kinds after Hello are delivered");
      }
    }
  }

  /**
   * Close the connection. A protocol violation also counts as a dropped frame; another chain's
   * Hello is a misconfigured neighbour, not a broken one.
   */
  record Close(String reason, boolean protocolViolation) implements Decision {}

  static Decision decide(ByteBuffer bytes, boolean registered, String chainId) {
    PeerFrame frame;
    try {
      frame = PeerFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return new Close("unparsable frame", true);
    }
    if (hasUnknownFields(frame)) {
      return new Close("frame with unknown fields", true);
    }
    if (!registered) {
      if (!frame.hasHello()) {
        return new Close("first frame is not Hello", true);
      }
      if (!frame.getHello().getChainId().equals(chainId)) {
        return new Close("other chain id", false);
      }
      return new Register();
    }
    if (frame.hasHello()) {
      return new Close("second Hello", true);
    }
    return new Deliver(frame);
  }

  /**
   * A peer of another software version, or a broken one: unknown fields at the frame and message
   * level (not deeper: gossip bodies and blocks are the node's to check, and walking them costs). A
   * frame of no kind counts as one: its kind is a field we do not know.
   */
  static boolean hasUnknownFields(PeerFrame frame) {
    if (!frame.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    return switch (frame.getKindCase()) {
      case HELLO -> !frame.getHello().getUnknownFields().asMap().isEmpty();
      case GOSSIP -> !frame.getGossip().getUnknownFields().asMap().isEmpty();
      case STATUS -> !frame.getStatus().getUnknownFields().asMap().isEmpty();
      case SYNC_REQUEST -> !frame.getSyncRequest().getUnknownFields().asMap().isEmpty();
      case SYNC_RESPONSE -> !frame.getSyncResponse().getUnknownFields().asMap().isEmpty();
      case TX_FETCH -> !frame.getTxFetch().getUnknownFields().asMap().isEmpty();
      case TX_FETCHED -> !frame.getTxFetched().getUnknownFields().asMap().isEmpty();
      case TX_ANNOUNCE -> !frame.getTxAnnounce().getUnknownFields().asMap().isEmpty();
      case KIND_NOT_SET -> true;
    };
  }

  /** A sync request worth serving: it names a height and asks for at least one block. */
  static boolean servable(SyncRequest request) {
    return request.getFromHeight() >= 1 && request.getMaxBlocks() >= 1;
  }

  /** An announcement worth reading: between one hash and a fetch's worth. */
  static boolean servable(TxAnnounce announce) {
    return announce.getTxHashesCount() >= 1
        && announce.getTxHashesCount() <= P2pNetwork.TX_FETCH_HASHES_MAX;
  }

  /** A transaction fetch worth serving: between one hash and a block's worth. */
  static boolean servable(TxFetch fetch) {
    return fetch.getTxHashesCount() >= 1
        && fetch.getTxHashesCount() <= P2pNetwork.TX_FETCH_HASHES_MAX;
  }
}
