package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import java.util.Random;

/**
 * Requantisation to 8 bits: each pixel rounded to the nearest multiple of 1/255, what saving a
 * 16-bit image as 8-bit PNG does. The benchmark's slices are 8-bit PNGs already, so on them this is
 * the identity (the verifier answers AUTHENTIC); it changes 16-bit sources and G's float output.
 */
public record Requantization() implements BenignEdit {
  static final int LEVELS = 255;

  @Override
  public String name() {
    return "requant 16->8 bit";
  }

  @Override
  public GrayImage apply(GrayImage clean, Random random) {
    float[] px = clean.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = Math.round(Math.min(1f, Math.max(0f, px[i])) * LEVELS) / (float) LEVELS;
    }
    return new GrayImage(clean.width(), clean.height(), px);
  }
}
