package io.prosima.imaging.erasure;

/**
 * The header of one serialised fragment, after its hash was checked.
 *
 * @param index the fragment's row in the code, 0..s-1 (0..r-1 are the data fragments)
 * @param r fragments needed to rebuild
 * @param s fragments in total
 * @param dataLength bytes of the encoded input
 */
public record FragmentInfo(int index, int r, int s, int dataLength) {}
