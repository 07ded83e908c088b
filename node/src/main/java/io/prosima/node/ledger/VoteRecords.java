package io.prosima.node.ledger;

import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.proto.v1.SignedVoteRecordData;

/** Converts the core's signed-vote record to and from its WAL form. */
final class VoteRecords {
  private VoteRecords() {}

  static SignedVoteRecordData toData(SignedVoteRecord r) {
    SignedVoteRecordData.Builder b = SignedVoteRecordData.newBuilder();
    if (r.lastProposal() != null) {
      b.setLastProposal(r.lastProposal());
    }
    if (r.lastPrevote() != null) {
      b.setLastPrevote(r.lastPrevote());
    }
    if (r.lastPrecommit() != null) {
      b.setLastPrecommit(r.lastPrecommit());
    }
    if (r.lockPrecommit() != null) {
      b.setLockPrecommit(r.lockPrecommit());
    }
    if (r.lockBlock() != null) {
      b.setLockBlock(r.lockBlock()).addAllLockPrevotes(r.lockPrevotes());
    }
    return b.build();
  }

  static SignedVoteRecord fromData(SignedVoteRecordData d) {
    return new SignedVoteRecord(
        d.hasLastProposal() ? d.getLastProposal() : null,
        d.hasLastPrevote() ? d.getLastPrevote() : null,
        d.hasLastPrecommit() ? d.getLastPrecommit() : null,
        d.hasLockPrecommit() ? d.getLockPrecommit() : null,
        d.hasLockBlock() ? d.getLockBlock() : null,
        d.getLockPrevotesList());
  }
}
