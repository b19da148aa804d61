package dev.loomcache.spring.boot;

import dev.loomcache.chronicle.ChronicleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kept apart so that Chronicle classes load only when {@code loomcache.chronicle.file} is set. */
final class ChronicleTiers {
  private ChronicleTiers() {}

  static ChronicleStore open(Path file, long maxEntries) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + directory, e);
    }
    return ChronicleStore.newBuilder(file).maxEntries(maxEntries).build();
  }
}
