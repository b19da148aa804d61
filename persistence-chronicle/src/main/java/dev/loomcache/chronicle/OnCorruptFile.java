package dev.loomcache.chronicle;

/** What {@link ChronicleStoreBuilder#build()} does with a store file it cannot open. */
public enum OnCorruptFile {
  /** Throw {@link CorruptStoreFileException} and leave the file as it is (the default). */
  FAIL,
  /**
   * Rename the file to {@code <name>.corrupt-<epoch millis>} beside it, log a warning naming the
   * new path, and start with an empty store. Nothing is deleted.
   */
  MOVE_ASIDE
}
