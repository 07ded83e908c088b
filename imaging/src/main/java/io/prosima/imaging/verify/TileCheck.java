package io.prosima.imaging.verify;

/**
 * What the verifier found for one tile.
 *
 * @param index tile index, row-major
 * @param exactMatch the tile's content hash equals the anchored one
 * @param cosine cosine of E(tile) against the dequantized anchored latent; NaN when not computed
 *     (exact match, no anchored latent, or the image does not fit the fingerprint's grid)
 * @param lowInformation the anchored tile was background (its latent is close to E of a blank tile)
 *     and the tile is still nearly empty; E cannot see changes that keep such a tile empty, so
 *     "consistent" there rests on little information (judged with the same threshold)
 * @param tampered the tile is named as tampered
 */
public record TileCheck(
    int index, boolean exactMatch, double cosine, boolean lowInformation, boolean tampered) {}
