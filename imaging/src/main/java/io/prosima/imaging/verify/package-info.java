/**
 * Verification of an image against its fingerprint (the on-chain tile leaves): exact per tile
 * (content hashes), then semantic per tile (block means of the tile against the anchored latent,
 * {@link io.prosima.imaging.verify.BlockDeviation}) where hashes differ. {@link
 * io.prosima.imaging.verify.ImageVerifier} gives a {@link
 * io.prosima.imaging.verify.VerificationResult}; {@code prosima bench tamper} chooses the threshold
 * on training slices.
 */
package io.prosima.imaging.verify;
