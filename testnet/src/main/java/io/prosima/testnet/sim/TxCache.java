package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One run's memo of transaction hashes and signature checks, so each distinct transaction is hashed
 * and verified about once per run instead of by every node at every proposal (the node likewise
 * skips signatures it verified at admission). Hashes are keyed by object identity, which is sound
 * because protobuf messages are immutable and the simulated network passes objects, not bytes;
 * signature results are keyed by the hash, which covers the signature.
 */
final class TxCache {
  private final Map<Transaction, ByteString> hashes = new IdentityHashMap<>();
  private final Map<ByteString, Boolean> signatures = new HashMap<>();

  ByteString hash(Transaction tx) {
    return hashes.computeIfAbsent(tx, t -> ByteString.copyFrom(TxCodec.hash(t)));
  }

  boolean signatureValid(Transaction tx) {
    return signatures.computeIfAbsent(hash(tx), h -> TxCodec.signatureValid(tx));
  }
}
