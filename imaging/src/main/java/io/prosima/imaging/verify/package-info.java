/**
 * Verification of an image against its fingerprint (the on-chain tile leaves): exact per tile
 * (content hashes), then semantic per tile (cosine of E's embedding against the anchored latent)
 * where hashes differ. {@link io.prosima.imaging.verify.ImageVerifier} gives a {@link
 * io.prosima.imaging.verify.VerificationResult}; {@link
 * io.prosima.imaging.verify.VerifierCalibration} re-measures the cosine threshold on the validation
 * slices.
 */
package io.prosima.imaging.verify;
