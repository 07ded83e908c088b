package io.prosima.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.wire.Canonical;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link BlockTxIndex} (before its checksum): u32be(header length) ||
 * canonical(header) || u32be(commit length) || canonical(commit) || the tx hashes, 32 bytes each,
 * concatenated in block order.
 */
final class BlockTxIndexRecord {
  static final int HASH_BYTES = 32;

  private BlockTxIndexRecord() {}

  static byte[] encode(BlockHeader header, CommitCertificate commit, List<byte[]> txHashes) {
    byte[] h = Canonical.bytes(header);
    byte[] c = Canonical.bytes(commit);
    ByteBuffer out =
        ByteBuffer.allocate(
            Integer.BYTES + h.length + Integer.BYTES + c.length + HASH_BYTES * txHashes.size());
    out.putInt(h.length).put(h).putInt(c.length).put(c);
    for (byte[] hash : txHashes) {
      if (hash.length != HASH_BYTES) {
        throw new IllegalStateException("a tx hash is " + HASH_BYTES + " bytes");
      }
      out.put(hash);
    }
    return out.array();
  }

  /**
   * Decodes a record read for {@code height}; throws {@link StorageCorruptionException} when it is
   * malformed or does not describe a block at that height with one hash per transaction.
   */
  static BlockTxIndex decode(byte[] raw, long height, String where) {
    BlockHeader header;
    CommitCertificate commit;
    ByteBuffer in = ByteBuffer.wrap(raw);
    try {
      header = BlockHeader.parseFrom(slice(in));
      commit = CommitCertificate.parseFrom(slice(in));
    } catch (InvalidProtocolBufferException | BufferUnderflowException e) {
      throw new StorageCorruptionException("storage corruption: unparsable record in " + where, e);
    }
    if (in.remaining() % HASH_BYTES != 0
        || header.getHeight() != height
        || header.getTxCount() != in.remaining() / HASH_BYTES) {
      throw new StorageCorruptionException("storage corruption: block header mismatch in " + where);
    }
    List<byte[]> hashes = new ArrayList<>(header.getTxCount());
    while (in.hasRemaining()) {
      byte[] hash = new byte[HASH_BYTES];
      in.get(hash);
      hashes.add(hash);
    }
    return new BlockTxIndex(header, commit, hashes);
  }

  private static ByteBuffer slice(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    ByteBuffer part = in.slice(in.position(), n);
    in.position(in.position() + n);
    return part;
  }
}
