package io.prosima.imaging.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared data folder, which lives beside the repository ({@code ../shared/data} from the
 * repository root). Maven runs a module's tests in the module's folder, an IDE often in the root,
 * so the folder is found by walking up from the working directory; tests skip when it is absent.
 */
public final class SharedData {
  /** How many folders up from the working directory to look for {@code shared/data}. */
  static final int LEVELS_UP_MAX = 4;

  private SharedData() {}

  /** The shared data folder, or a path that does not exist when none was found. */
  public static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    for (int up = 0; up <= LEVELS_UP_MAX && p != null; up++, p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return Path.of("..", "shared", "data");
  }

  /** A file or folder under the shared data folder, e.g. {@code "mri/human-t1-axial"}. */
  public static Path resolve(String relative) {
    return dir().resolve(relative);
  }
}
