package io.prosima.node.image;

import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.TileAuthenticationException;
import io.prosima.imaging.crypto.TileCipher;
import io.prosima.imaging.crypto.TilePosition;
import io.prosima.imaging.erasure.InsufficientFragmentsException;
import io.prosima.imaging.erasure.ReedSolomon;
import java.security.SecureRandom;
import java.util.Collection;

/**
 * Seals a canonical tile for storage — AES-256-GCM under the image's data key (AAD binds chain,
 * image and tile index), then Reed–Solomon r-of-s — and opens r fragments back into the tile
 * ("secret sharing made short": only the short key is shared, by wrapping).
 */
final class TileSealer {
  private final String chainId;
  private final String imageId;
  private final TileCipher cipher;
  private final ReedSolomon code;

  TileSealer(String chainId, String imageId, DataKey key, int r, int s, SecureRandom random) {
    this.chainId = chainId;
    this.imageId = imageId;
    this.cipher = new TileCipher(key, random);
    this.code = new ReedSolomon(r, s);
  }

  /** The encrypted tile {@code index} (fresh nonce). */
  byte[] encrypt(int index, byte[] canonicalTile) {
    return cipher.encrypt(new TilePosition(chainId, imageId, index), canonicalTile);
  }

  /** The s fragments of an encrypted tile, fragment i at position i. */
  byte[][] encode(byte[] encryptedTile) {
    return code.encode(encryptedTile);
  }

  /** Bytes the s fragments of an encrypted tile of this length take. */
  long storedBytes(int encryptedLength) {
    return code.storedBytes(encryptedLength);
  }

  /** The canonical tile from at least r fragments (each already checked against its hash). */
  byte[] open(int index, Collection<byte[]> fragments)
      throws InsufficientFragmentsException, TileAuthenticationException {
    return cipher.decrypt(new TilePosition(chainId, imageId, index), code.decode(fragments));
  }
}
