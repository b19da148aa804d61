package dev.loomcache.chronicle;

import java.io.Serial;
import java.nio.file.Path;

/**
 * Thrown when a store file cannot be opened because it is corrupt, truncated or not a Loomcache
 * store. The file is left untouched: nothing it holds is dropped silently. Move or delete it, or
 * build the store with {@link OnCorruptFile#MOVE_ASIDE} to set such files aside automatically.
 */
public class CorruptStoreFileException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** Describes why {@code file} could not be opened; {@code cause} is the underlying failure. */
  public CorruptStoreFileException(Path file, String reason, Throwable cause) {
    super(
        "The Chronicle store file "
            + file
            + " is corrupt or truncated ("
            + reason
            + "). It was"
            + " left untouched; move or delete it, or build the store with"
            + " onCorruptFile(OnCorruptFile.MOVE_ASIDE) to set it aside and start empty.",
        cause);
    this.file = file;
  }

  /** The file that could not be opened. */
  public Path file() {
    return file;
  }
}
