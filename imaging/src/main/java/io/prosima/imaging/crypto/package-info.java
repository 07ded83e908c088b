/**
 * Image confidentiality: {@link io.prosima.imaging.crypto.TileCipher} encrypts tiles with
 * AES-256-GCM under a per-image {@link io.prosima.imaging.crypto.DataKey}, bound to their {@link
 * io.prosima.imaging.crypto.TilePosition}; {@link io.prosima.imaging.crypto.KeyWrap} wraps the data
 * key for each grantee's X25519 key with HPKE (RFC 9180).
 */
package io.prosima.imaging.crypto;
