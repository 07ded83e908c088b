package io.prosima.consensus.execution;

import com.google.protobuf.ByteString;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.TileGrid;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.ImageLeaves;
import io.prosima.proto.wire.Sha256;
import io.prosima.proto.wire.TxCodec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** A small chain for execution tests: 4 validators, 2 hospitals, 1 auditor, 1 admin. */
final class TestChain {
  final Genesis genesis;
  final List<KeyFile> validators;
  final KeyFile hospital;
  final KeyFile otherHospital;
  final KeyFile auditor;
  final KeyFile admin;
  final BlockExecutor executor;
  final TreeMap<byte[], byte[]> state = new TreeMap<>(Arrays::compareUnsigned);
  byte[] stateHash;
  long height = 1;

  TestChain() throws Exception {
    this(new SecureRandom());
  }

  /** With a seeded {@code random}, the same keys and genesis every time (fuzz seeds need them). */
  TestChain(SecureRandom random) throws Exception {
    GenesisBuilder.Result r =
        new GenesisBuilder().validators(4).regions(2).clients(2, 1, 1).build(random);
    genesis = r.genesis();
    validators = r.validatorKeys();
    hospital = r.clientKeys().get(0);
    otherHospital = r.clientKeys().get(1);
    auditor = r.clientKeys().get(2);
    admin = r.clientKeys().get(3);
    executor = new BlockExecutor(genesis);
    stateHash = StateHash.genesis(genesis);
  }

  Transaction sign(KeyFile key, long nonce, Payload payload) {
    return sign(unsigned(key, nonce, payload), key);
  }

  Transaction unsigned(KeyFile key, long nonce, Payload payload) {
    return Transaction.newBuilder()
        .setChainId(genesis.getChainId())
        .setSigner(key.getEd25519PublicKey())
        .setNonce(nonce)
        .setExpiryHeight(height + 10)
        .setPayload(payload)
        .build();
  }

  static Transaction sign(Transaction tx, KeyFile key) {
    return TxCodec.sign(
        tx, key.getEd25519PrivateKey().toByteArray(), key.getEd25519PublicKey().toByteArray());
  }

  static ImageAnchor anchor(String imageId) {
    ImageAnchor.Builder a =
        ImageAnchor.newBuilder()
            .setImageId(imageId)
            .setGrid(
                TileGrid.newBuilder().setImageWidth(256).setImageHeight(256).setRows(2).setCols(2));
    List<TileLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      leaves.add(
          TileLeaf.newBuilder()
              .setIndex(i)
              .setContentHash(
                  ByteString.copyFrom(
                      Sha256.hash((imageId + "/" + i).getBytes(StandardCharsets.UTF_8))))
              .setLatent(ByteString.copyFrom(new byte[] {1, -2, 3, -4}))
              .setLatentScale(0.01f)
              .build());
    }
    return a.addAllLeaves(leaves)
        .setMerkleRoot(ByteString.copyFrom(ImageLeaves.root(leaves)))
        .build();
  }

  static Payload payload(ImageAnchor a) {
    return Payload.newBuilder().setImageAnchor(a).build();
  }

  /** Executes one block and commits its writes to the in-memory state. */
  BlockExecutor.Execution commit(Transaction... txs) {
    List<byte[]> hashes = new ArrayList<>();
    for (Transaction tx : txs) {
      hashes.add(TxCodec.hash(tx));
    }
    BlockExecutor.Execution e =
        executor.execute(
            List.of(txs), hashes, state::get, height, stateHash, SignatureCheck.NONE_PREVERIFIED);
    e.writes()
        .entries()
        .forEach(
            (k, v) -> {
              if (v == null) {
                state.remove(k);
              } else {
                state.put(k, v);
              }
            });
    stateHash = e.stateHashAfter();
    height++;
    return e;
  }

  /** The refusal a single transaction gets at the next height (state unchanged). */
  Refusal refusalOf(Transaction tx) {
    BlockExecutor.Execution e =
        executor.execute(
            List.of(tx),
            List.of(TxCodec.hash(tx)),
            state::get,
            height,
            stateHash,
            SignatureCheck.NONE_PREVERIFIED);
    return e.rejected().isEmpty() ? null : e.rejected().get(0).refusal();
  }
}
