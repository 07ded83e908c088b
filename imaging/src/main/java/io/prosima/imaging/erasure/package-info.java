/**
 * Fault tolerance for stored tiles: {@link io.prosima.imaging.erasure.ReedSolomon} turns an
 * encrypted tile into s self-checking fragments of which any r rebuild it.
 */
package io.prosima.imaging.erasure;
