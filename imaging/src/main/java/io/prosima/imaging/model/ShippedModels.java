package io.prosima.imaging.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the trained models shipped with the repository live: {@code $prosima.home/imaging/models}
 * (the {@code prosima} launcher sets {@code -Dprosima.home}), else {@code imaging/models}, {@code
 * models} or {@code ../imaging/models} relative to the working directory. Layout: {@code encoder/},
 * {@code generator/} (full G) and {@code ablations/pixel/}, {@code ablations/nocond/} (each with
 * {@code encoder/} and {@code generator/}) for the evaluation table.
 */
public final class ShippedModels {
  public static final String ABLATIONS_DIR = "ablations";

  private ShippedModels() {}

  public static Path defaultDir() {
    String home = System.getProperty("prosima.home");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "imaging", "models");
    }
    // From the repository root, from imaging/, or from a sibling module (tests run there).
    for (Path p :
        new Path[] {
          Path.of("imaging", "models"), Path.of("models"), Path.of("..", "imaging", "models")
        }) {
      if (Files.isDirectory(p.resolve(ModelExport.GENERATOR_DIR))) {
        return p;
      }
    }
    return Path.of("imaging", "models");
  }

  /** The directory of an ablation variant ("pixel" or "nocond") under a models directory. */
  public static Path ablation(Path modelsDir, String variant) {
    return modelsDir.resolve(ABLATIONS_DIR).resolve(variant);
  }
}
