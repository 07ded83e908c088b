package io.prosima.consensus.execution;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.prosima.genesis.ValidatorSet;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.GrantRecord;
import io.prosima.proto.v1.Identity;
import io.prosima.proto.v1.ImageRecord;
import io.prosima.proto.v1.ModelRecord;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.wire.Canonical;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Typed state as seen while executing a block: committed state plus this block's earlier writes.
 * Genesis identities are fixed and not stored in state. The validator set is a function of height
 * ({@link #validatorsAt}): the genesis set, then the sets validator changes put in force.
 */
public final class LedgerView {
  private final Genesis genesis;
  // The genesis set, shared by every view; changed sets are read from state.
  private final ValidatorSets genesisSets;
  private final Map<ByteString, Identity> genesisIdentities = new HashMap<>();
  private final StateReader committed;
  private final WriteSet writes;

  public LedgerView(Genesis genesis, StateReader committed) {
    this(genesis, ValidatorSets.genesisOnly(genesis), committed, new WriteSet());
  }

  LedgerView(Genesis genesis, ValidatorSets genesisSets, StateReader committed, WriteSet writes) {
    this.genesis = genesis;
    this.genesisSets = genesisSets;
    this.committed = committed;
    this.writes = writes;
    for (Identity client : genesis.getClientsList()) {
      genesisIdentities.put(client.getPublicKey(), client);
    }
  }

  public Genesis genesis() {
    return genesis;
  }

  /** The genesis set (fragment placement and genesis-only rules). */
  public ValidatorSet genesisValidators() {
    return genesisSets.at(1);
  }

  /** Every validator set: genesis, then those changed on chain (including one not yet in force). */
  public ValidatorSets validatorSets() {
    Optional<ValidatorHistory> history =
        readRecord(StateKeys.validatorHistory(), ValidatorHistory.parser());
    return history.isEmpty() ? genesisSets : ValidatorSets.of(genesis, history.get());
  }

  /** The set that signs blocks of {@code height}. */
  public ValidatorSet validatorsAt(long height) {
    return validatorSets().at(height);
  }

  WriteSet writes() {
    return writes;
  }

  private byte[] read(byte[] key) {
    if (writes.contains(key)) {
      byte[] v = writes.get(key);
      return WriteSet.isDeleted(v) ? null : v;
    }
    return committed.get(key);
  }

  private <T extends com.google.protobuf.Message> Optional<T> readRecord(
      byte[] key, Parser<T> parser) {
    byte[] bytes = read(key);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      // State is written only by this executor; an unparsable record means the store is broken.
      throw new IllegalStateException("state record is corrupt", e);
    }
  }

  public Optional<Identity> identity(ByteString key) {
    Identity fixed = genesisIdentities.get(key);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    return readRecord(StateKeys.identity(key), Identity.parser());
  }

  /** The highest nonce this signer has used, 0 if none. */
  public long lastNonce(ByteString signer) {
    byte[] bytes = read(StateKeys.nonce(signer));
    if (bytes == null) {
      return 0;
    }
    if (bytes.length != Long.BYTES) {
      throw new IllegalStateException("nonce record has " + bytes.length + " bytes");
    }
    return ByteBuffer.wrap(bytes).getLong();
  }

  public Optional<ImageRecord> image(String imageId) {
    return readRecord(StateKeys.image(imageId), ImageRecord.parser());
  }

  public Optional<ModelRecord> model(String modelId, String version) {
    return readRecord(StateKeys.model(modelId, version), ModelRecord.parser());
  }

  public Optional<GrantRecord> grant(String imageId, ByteString grantee) {
    return readRecord(StateKeys.grant(imageId, grantee), GrantRecord.parser());
  }

  /**
   * The grant that gives {@code grantee} rights on {@code image} now: not revoked, and wrapping the
   * key of the image's current epoch. A grant of an earlier epoch wraps a retired key (a rekey
   * retires the fragments it opens), so it gives no rights until the owner grants again. The one
   * statement of this rule: the ledger's checks and the node's query and fragment authorisation all
   * ask here.
   */
  public Optional<GrantRecord> liveGrant(ImageRecord image, ByteString grantee) {
    return grant(image.getImageId(), grantee).filter(g -> g.getKeyEpoch() == image.getKeyEpoch());
  }

  /** The image's owner, or an identity holding a {@link #liveGrant}. */
  public boolean ownerOrLiveGrantee(ImageRecord image, ByteString identity) {
    return image.getOwner().equals(identity) || liveGrant(image, identity).isPresent();
  }

  /**
   * Whether the equivocation {@code vote} is part of (its validator, height, round and type) is
   * already recorded on chain.
   */
  public boolean evidenceRecorded(Vote vote) {
    return read(StateKeys.evidence(vote)) != null;
  }

  /**
   * The height at which the equivocation {@code vote} is part of was recorded, if it was. The
   * stored value is u64be(height) || transaction hash.
   */
  public Optional<Long> evidenceHeight(Vote vote) {
    byte[] bytes = read(StateKeys.evidence(vote));
    if (bytes == null) {
      return Optional.empty();
    }
    if (bytes.length < Long.BYTES) {
      throw new IllegalStateException("evidence record has " + bytes.length + " bytes");
    }
    return Optional.of(ByteBuffer.wrap(bytes).getLong());
  }

  void putEvidence(Vote vote, long height, ByteString txHash) {
    writes.put(
        StateKeys.evidence(vote),
        ByteBuffer.allocate(Long.BYTES + txHash.size())
            .putLong(height)
            .put(txHash.toByteArray())
            .array());
  }

  void appendValidatorEpoch(ValidatorEpoch epoch) {
    ValidatorHistory history =
        readRecord(StateKeys.validatorHistory(), ValidatorHistory.parser())
            .orElse(ValidatorHistory.getDefaultInstance());
    writes.put(
        StateKeys.validatorHistory(),
        Canonical.bytes(history.toBuilder().addEpochs(epoch).build()));
  }

  void putIdentity(Identity identity) {
    writes.put(StateKeys.identity(identity.getPublicKey()), Canonical.bytes(identity));
  }

  void putNonce(ByteString signer, long nonce) {
    writes.put(StateKeys.nonce(signer), ByteBuffer.allocate(Long.BYTES).putLong(nonce).array());
  }

  void putImage(ImageRecord record) {
    writes.put(StateKeys.image(record.getImageId()), Canonical.bytes(record));
  }

  void putModel(ModelRecord record) {
    writes.put(StateKeys.model(record.getModelId(), record.getVersion()), Canonical.bytes(record));
  }

  void putGrant(GrantRecord record) {
    writes.put(StateKeys.grant(record.getImageId(), record.getGrantee()), Canonical.bytes(record));
  }

  void deleteGrant(String imageId, ByteString grantee) {
    writes.delete(StateKeys.grant(imageId, grantee));
  }
}
