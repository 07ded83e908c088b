package io.prosima.storage;

/**
 * Names one stored fragment: image, key epoch, tile and erasure-code index. The store keeps
 * fragments in this order, so an image's fragments (and each epoch's) are contiguous.
 */
public record FragmentId(String imageId, int keyEpoch, int tileIndex, int fragmentIndex) {}
