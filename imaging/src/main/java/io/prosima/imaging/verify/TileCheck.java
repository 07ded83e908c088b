package io.prosima.imaging.verify;

/**
 * What the verifier found for one tile.
 *
 * @param index tile index, row-major
 * @param exactMatch the tile's content hash equals the anchored one
 * @param deviation largest block-mean difference between E(tile) and the anchored latent beyond
 *     what rounding and the image's noise explain ({@link BlockDeviation#score}); NaN when not
 *     computed (exact match, no anchored latent, or the image does not fit the fingerprint's grid)
 * @param lowInformation the anchored tile was background (every block mean dark) and the tile is
 *     still nearly empty, so "consistent" there rests on little information (judged with the same
 *     threshold)
 * @param tampered the tile is named as tampered
 */
public record TileCheck(
    int index, boolean exactMatch, double deviation, boolean lowInformation, boolean tampered) {}
