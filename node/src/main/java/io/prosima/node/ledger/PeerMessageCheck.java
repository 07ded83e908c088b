package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.Signing;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.ConsensusMessage;

/**
 * What a gossiped consensus message must pass before this node queues it and lets p2p relay it:
 * canonical bytes, this chain, a height near ours, a validator of that height's set as signer, and
 * a signature that verifies. Without it a neighbour could make every node relay forged or
 * far-future messages to everyone (the core would drop them only after the flood). The core still
 * checks everything that depends on its state (schedule, round, locks).
 */
final class PeerMessageCheck {
  /** Messages for heights further above our tip are neither queued nor relayed. */
  static final long FUTURE_HEIGHTS_MAX = 64;

  private PeerMessageCheck() {}

  /** Null when the message may be queued and relayed, else why not. */
  static String check(ConsensusMessage m, String chainId, ValidatorSets validators, long tip) {
    if (!Signing.isCanonical(m)) {
      return "carries unknown fields";
    }
    String chain;
    long height;
    ByteString signer;
    boolean signed;
    if (m.hasProposal()) {
      var p = m.getProposal();
      chain = p.getChainId();
      height = p.getHeight();
      signer = p.getProposer();
      signed = p.getSignature().size() == 64;
    } else if (m.hasVote()) {
      var v = m.getVote();
      chain = v.getChainId();
      height = v.getHeight();
      signer = v.getValidator();
      signed = v.getSignature().size() == 64;
    } else {
      return "is neither a proposal nor a vote";
    }
    if (!chain.equals(chainId)) {
      return "is for another chain";
    }
    // Unsigned: a height near 2^64 must not wrap into the window.
    if (Long.compareUnsigned(height, tip) < 0
        || Long.compareUnsigned(height, tip + 1 + FUTURE_HEIGHTS_MAX) > 0) {
      return "is for height " + Long.toUnsignedString(height) + ", far from our tip " + tip;
    }
    // The set of the message's height (beyond the known heights: the newest set known).
    if (validators.at(height).get(signer).isEmpty() || !signed) {
      return "is not signed by a validator";
    }
    boolean valid =
        m.hasProposal() ? Signing.verifyProposal(m.getProposal()) : Signing.verifyVote(m.getVote());
    return valid ? null : "has a signature that does not verify";
  }
}
