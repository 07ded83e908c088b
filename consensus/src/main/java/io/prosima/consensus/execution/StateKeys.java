package io.prosima.consensus.execution;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Layout of state keys: one prefix byte per record kind, then the record's identity. Ids never
 * contain a zero byte (their patterns forbid it), so 0x00 separates the parts unambiguously.
 * Evidence keys have fixed-width parts and need no separator.
 */
public final class StateKeys {
  static final byte IDENTITY = 0x01;
  static final byte NONCE = 0x02;
  static final byte IMAGE = 0x03;
  static final byte MODEL = 0x04;
  static final byte GRANT = 0x05;
  static final byte EVIDENCE = 0x06;
  static final byte VALIDATOR_HISTORY = 0x07;

  private StateKeys() {}

  public static byte[] identity(ByteString publicKey) {
    return concat(IDENTITY, publicKey.toByteArray());
  }

  public static byte[] nonce(ByteString signer) {
    return concat(NONCE, signer.toByteArray());
  }

  public static byte[] image(String imageId) {
    return concat(IMAGE, utf8(imageId));
  }

  public static byte[] model(String modelId, String version) {
    return concat(MODEL, utf8(modelId), new byte[] {0}, utf8(version));
  }

  public static byte[] grant(String imageId, ByteString grantee) {
    return concat(GRANT, utf8(imageId), new byte[] {0}, grantee.toByteArray());
  }

  /** The one record of the validator sets changed on chain ({@code ValidatorHistory}). */
  public static byte[] validatorHistory() {
    return new byte[] {VALIDATOR_HISTORY};
  }

  /**
   * One recorded equivocation: validator key || u64be(height) || u32be(round) || u8(vote type). The
   * same for either order of the two votes.
   */
  public static byte[] evidence(ByteString validator, long height, int round, VoteType type) {
    return concat(
        EVIDENCE,
        validator.toByteArray(),
        ByteBuffer.allocate(Long.BYTES + Integer.BYTES + 1)
            .putLong(height)
            .putInt(round)
            .put((byte) type.getNumber())
            .array());
  }

  /** The key recording the equivocation {@code vote} is part of. */
  public static byte[] evidence(Vote vote) {
    return evidence(vote.getValidator(), vote.getHeight(), vote.getRound(), vote.getType());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte prefix, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(prefix);
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
