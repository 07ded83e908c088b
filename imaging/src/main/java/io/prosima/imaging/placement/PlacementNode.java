package io.prosima.imaging.placement;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A node that can store fragments: its 32-byte public key (its identity on the ledger) and the
 * region genesis assigned it. Equality is by key and region.
 */
public record PlacementNode(byte[] publicKey, String region) {
  public static final int PUBLIC_KEY_BYTES = 32;

  /** Region names are short labels ("eu-west"); the cap bounds what a genesis file may carry. */
  public static final int REGION_CHARS_MAX = 64;

  public PlacementNode {
    if (publicKey == null || publicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("node public key must be " + PUBLIC_KEY_BYTES + " bytes");
    }
    if (region == null || region.isEmpty() || region.length() > REGION_CHARS_MAX) {
      throw new IllegalArgumentException("region must be 1.." + REGION_CHARS_MAX + " characters");
    }
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  byte[] publicKeyUnsafe() {
    return publicKey;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlacementNode n
        && Arrays.equals(publicKey, n.publicKey)
        && region.equals(n.region);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(publicKey) + region.hashCode();
  }

  @Override
  public String toString() {
    return "PlacementNode[" + HexFormat.of().formatHex(publicKey, 0, 6) + "…@" + region + "]";
  }
}
