/**
 * Where fragments live: {@link io.prosima.imaging.placement.FragmentPlacement} picks s distinct
 * nodes per tile by locality-first rendezvous hashing, the same answer on every node.
 */
package io.prosima.imaging.placement;
