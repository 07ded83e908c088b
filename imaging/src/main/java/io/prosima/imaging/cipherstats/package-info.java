/**
 * Cipher-image statistics (NPCR, UACI, entropy, adjacent correlation) and the Wu–Noonan–Agaian
 * critical values, to report the tile cipher's output against the figures imaging-encryption papers
 * quote.
 */
package io.prosima.imaging.cipherstats;
