package io.prosima.genesis;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Whole-file writes that never leave a half-written file behind (temp file, fsync, rename). */
final class AtomicFiles {
  private AtomicFiles() {}

  static void write(Path file, byte[] content, boolean ownerOnly) throws IOException {
    Path tmp = writeTemp(file, content, ownerOnly);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Like {@link #write} but never replaces an existing file: the complete temp file is hard-linked
   * to its name, which fails atomically when the name is taken.
   *
   * @throws FileAlreadyExistsException when {@code file} exists (nothing is changed)
   */
  static void writeNew(Path file, byte[] content, boolean ownerOnly) throws IOException {
    Path tmp = writeTemp(file, content, ownerOnly);
    try {
      Files.createLink(file, tmp);
      try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent())) {
        dir.force(true);
      } catch (IOException e) {
        // Some file systems cannot sync a directory; the link is made either way.
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path writeTemp(Path file, byte[] content, boolean ownerOnly) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly) {
      // Created with mode 0600 from the start, so the secret is never readable by others.
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(content));
      ch.force(true);
    }
    return tmp;
  }
}
