package io.prosima.proto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.v1.Transaction;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TxCodecTest {
  /** The definition: the tag, then canonical(tx with its signature cleared). */
  private static byte[] byDefinition(Transaction tx) {
    return DomainTags.withPrefix(
        DomainTags.TX, Canonical.bytes(tx.toBuilder().clearSignature().build()));
  }

  private static Transaction randomTx(SplittableRandom r) {
    byte[] signer = new byte[32];
    byte[] sig = new byte[r.nextInt(3) == 0 ? r.nextInt(1, 200) : 64];
    r.nextBytes(signer);
    r.nextBytes(sig);
    Payload payload;
    if (r.nextBoolean()) {
      ImageAnchor.Builder a = ImageAnchor.newBuilder().setImageId("img-" + r.nextInt());
      for (int i = 0; i < r.nextInt(1, 20); i++) {
        byte[] latent = new byte[r.nextInt(0, 100)];
        r.nextBytes(latent);
        a.addLeaves(
            TileLeaf.newBuilder()
                .setIndex(i)
                .setLatent(ByteString.copyFrom(latent))
                .setLatentScale((float) r.nextDouble()));
      }
      payload = Payload.newBuilder().setImageAnchor(a).build();
    } else {
      payload =
          Payload.newBuilder()
              .setAccessLog(AccessLog.newBuilder().setImageId("i" + r.nextInt()).setAction("read"))
              .build();
    }
    return Transaction.newBuilder()
        .setChainId("chain-" + r.nextInt(10))
        .setSigner(ByteString.copyFrom(signer))
        .setNonce(r.nextLong(1, Long.MAX_VALUE))
        .setExpiryHeight(r.nextLong(0, 1L << 40))
        .setPayload(payload)
        .setSignature(ByteString.copyFrom(sig))
        .build();
  }

  @Test
  void signingBytesAreCanonicalBytesWithTheSignatureCleared() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 500; i++) {
      Transaction tx = randomTx(r);
      assertArrayEquals(byDefinition(tx), TxCodec.signingBytes(tx), "tx " + i);
    }
  }

  @Test
  void signingBytesWithoutSignatureOrWithUnknownFieldsFollowTheDefinition() {
    Transaction tx = randomTx(new SplittableRandom(7));
    Transaction unsigned = tx.toBuilder().clearSignature().build();
    assertArrayEquals(byDefinition(unsigned), TxCodec.signingBytes(unsigned));

    Transaction unknown =
        tx.toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).build())
                    .build())
            .build();
    assertArrayEquals(byDefinition(unknown), TxCodec.signingBytes(unknown));
  }

  @Test
  void aSignatureMadeOverTheSigningBytesVerifiesAndATamperedPayloadDoesNot() {
    byte[] priv = Ed25519Keys.newPrivateKey(new SecureRandom());
    byte[] pub = Ed25519Keys.publicKey(priv);
    Transaction tx =
        randomTx(new SplittableRandom(3)).toBuilder().setSigner(ByteString.copyFrom(pub)).build();
    Transaction signed = TxCodec.sign(tx, priv, pub);
    assertTrue(TxCodec.signatureValid(signed));
    assertFalse(TxCodec.signatureValid(signed.toBuilder().setNonce(signed.getNonce() + 1).build()));
  }
}
