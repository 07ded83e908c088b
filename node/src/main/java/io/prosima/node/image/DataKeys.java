package io.prosima.node.image;

import io.prosima.imaging.crypto.DataKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The data key of one image and key epoch, derived by the owner with HKDF-SHA256 (RFC 5869) from
 * the owner's X25519 private key: info = "prosima/data-key/v1" 0x00 ‖ chain ‖ 0x00 ‖ image ‖ 0x00 ‖
 * u32be(epoch).
 *
 * <p>Why derived and not drawn at random: an ingest killed after its anchor committed but before
 * the owner's grant did must be finishable by re-running the command, and the fragments already
 * stored are encrypted under that key. Deriving it from a secret only the owner holds gives the
 * same key on every run without a client-side journal, and a fresh, unrelated key per epoch (so a
 * rekey after a revoke really changes it). To anyone without the owner's private key it is as
 * unpredictable as a random key.
 */
final class DataKeys {
  private static final byte[] SALT = "prosima/data-key/v1".getBytes(StandardCharsets.US_ASCII);

  private DataKeys() {}

  static DataKey derive(byte[] ownerX25519PrivateKey, String chainId, String imageId, int epoch) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(SALT);
    info.write(0);
    info.writeBytes(chainId.getBytes(StandardCharsets.UTF_8));
    info.write(0);
    info.writeBytes(imageId.getBytes(StandardCharsets.UTF_8));
    info.write(0);
    info.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(epoch).array());
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ownerX25519PrivateKey, SALT, info.toByteArray()));
    byte[] key = new byte[DataKey.KEY_BYTES];
    hkdf.generateBytes(key, 0, key.length);
    try {
      return DataKey.fromBytes(key);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }
}
