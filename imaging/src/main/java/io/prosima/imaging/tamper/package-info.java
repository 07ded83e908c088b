/**
 * The tamper benchmark (issue 13): seeded generators of benign whole-image changes ({@link
 * io.prosima.imaging.tamper.BenignEdit}) and malicious local edits inside the anatomy ({@link
 * io.prosima.imaging.tamper.LocalEdit} on a {@link io.prosima.imaging.tamper.Region}), a per-tile
 * DCT perceptual-hash baseline, and {@link io.prosima.imaging.tamper.TamperBenchmark}, which runs
 * the shipped {@link io.prosima.imaging.verify.ImageVerifier} and the baseline on the same cases.
 * Thresholds that the benchmark chooses are chosen on training slices only.
 */
package io.prosima.imaging.tamper;
