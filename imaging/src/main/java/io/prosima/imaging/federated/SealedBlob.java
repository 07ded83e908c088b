package io.prosima.imaging.federated;

import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.KeyUnwrapException;
import io.prosima.imaging.crypto.KeyWrap;
import io.prosima.imaging.crypto.TileAuthenticationException;
import io.prosima.imaging.crypto.TileCipher;
import io.prosima.imaging.crypto.TilePosition;
import io.prosima.imaging.crypto.WrapContext;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * A weights blob encrypted for named recipients with the image primitives: a fresh {@link DataKey}
 * encrypts the blob with {@link TileCipher} (AES-256-GCM, AAD = chain, blob id, chunk 0), and the
 * key is wrapped for each recipient's X25519 key with {@link KeyWrap} (context = chain, blob id,
 * the recipient's Ed25519 key). Only the recipients open it; a sealed blob moved to another id does
 * not authenticate.
 *
 * <pre>
 *   u8 version (1) | u8 recipient count (1..RECIPIENTS_MAX)
 *   per recipient: byte[32] Ed25519 public key | byte[81] wrapped data key
 *   encrypted blob (TileCipher layout)
 * </pre>
 */
public final class SealedBlob {
  static final int VERSION = 1;
  public static final int RECIPIENTS_MAX = 32;
  static final int ID_BYTES = 32;
  static final int ENTRY_BYTES = ID_BYTES + KeyWrap.WRAPPED_BYTES;

  /** One recipient: its Ed25519 identity and the X25519 key its data keys are wrapped to. */
  public record Recipient(byte[] ed25519PublicKey, byte[] x25519PublicKey) {}

  private SealedBlob() {}

  public static byte[] seal(
      byte[] blob, String chainId, String blobId, List<Recipient> to, SecureRandom random) {
    if (to.isEmpty() || to.size() > RECIPIENTS_MAX) {
      throw new IllegalArgumentException("seal for 1.." + RECIPIENTS_MAX + " recipients");
    }
    if (blob.length > WeightsBlob.BLOB_BYTES_MAX || blob.length > TileCipher.TILE_BYTES_MAX) {
      throw new IllegalArgumentException("blob too large to seal");
    }
    DataKey key = DataKey.generate(random);
    try {
      byte[] encrypted =
          new TileCipher(key, random).encrypt(new TilePosition(chainId, blobId, 0), blob);
      ByteBuffer b = ByteBuffer.allocate(2 + to.size() * ENTRY_BYTES + encrypted.length);
      b.put((byte) VERSION).put((byte) to.size());
      for (Recipient r : to) {
        if (r.ed25519PublicKey().length != ID_BYTES) {
          throw new IllegalArgumentException("recipient ids are 32-byte Ed25519 keys");
        }
        b.put(r.ed25519PublicKey());
        b.put(
            KeyWrap.wrap(
                key, r.x25519PublicKey(), new WrapContext(chainId, blobId, r.ed25519PublicKey())));
      }
      b.put(encrypted);
      return b.array();
    } finally {
      key.destroy();
    }
  }

  /**
   * Opens {@code sealed} as recipient {@code me} (Ed25519 public key, raw X25519 private key);
   * throws {@link CannotOpenException} with a reason (never key material) when it does not open.
   */
  public static byte[] open(
      byte[] sealed, String chainId, String blobId, byte[] me, byte[] myX25519PrivateKey)
      throws CannotOpenException {
    if (sealed.length < 2 || sealed[0] != VERSION) {
      throw new CannotOpenException("not a sealed blob of version " + VERSION);
    }
    int n = Byte.toUnsignedInt(sealed[1]);
    if (n < 1 || n > RECIPIENTS_MAX || sealed.length < 2 + n * ENTRY_BYTES) {
      throw new CannotOpenException("bad recipient list");
    }
    for (int i = 0; i < n; i++) {
      int at = 2 + i * ENTRY_BYTES;
      if (!Arrays.equals(sealed, at, at + ID_BYTES, me, 0, me.length)) {
        continue;
      }
      byte[] wrapped = Arrays.copyOfRange(sealed, at + ID_BYTES, at + ENTRY_BYTES);
      DataKey key;
      try {
        key = KeyWrap.unwrap(wrapped, myX25519PrivateKey, new WrapContext(chainId, blobId, me));
      } catch (KeyUnwrapException e) {
        throw new CannotOpenException("our wrapped key does not open");
      }
      try {
        byte[] encrypted = Arrays.copyOfRange(sealed, 2 + n * ENTRY_BYTES, sealed.length);
        return new TileCipher(key, new SecureRandom())
            .decrypt(new TilePosition(chainId, blobId, 0), encrypted);
      } catch (TileAuthenticationException e) {
        throw new CannotOpenException("the encrypted blob does not authenticate");
      } finally {
        key.destroy();
      }
    }
    throw new CannotOpenException("not sealed for this identity");
  }

  /** A sealed blob that this identity cannot open. */
  public static final class CannotOpenException extends Exception {
    public CannotOpenException(String message) {
      super(message);
    }
  }
}
