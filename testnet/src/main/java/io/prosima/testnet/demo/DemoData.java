package io.prosima.testnet.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's shared data (real MRI slices and DICOM files): {@code ../shared/data} next to
 * the repository. The repository is {@code -Dprosima.home} when run through {@code ./prosima};
 * otherwise the working directory or one of its parents (tests run inside a module).
 */
public final class DemoData {
  static final String RELATIVE = "../shared/data";

  private DemoData() {}

  public static Optional<Path> find() {
    String home = System.getProperty("prosima.home");
    if (home != null) {
      Path p = Path.of(home).resolve(RELATIVE).normalize();
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(RELATIVE).normalize();
      if (Files.isDirectory(p.resolve("mri"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
