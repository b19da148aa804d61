package dev.loomcache.internal.context;

import org.jspecify.annotations.Nullable;

/**
 * The Java 21 {@link ScopedContext}: an {@link InheritableThreadLocal} holding a chain of frames.
 *
 * <p>Design note. A thread started inside a call copies the caller's current frame (that is what an
 * inheritable thread-local does at thread creation), so {@code StructuredTaskScope} forks and
 * threads of a virtual-thread-per-task executor created inside the call see the binding, as with
 * {@code ScopedValue}. Unlike a scoped value, a copy can outlive the call (a pooled thread created
 * lazily inside it, a thread nobody joins): each frame therefore carries an {@code open} flag,
 * cleared when its call returns, and a closed frame reads as the binding outside it. The copy
 * itself (and the value it references) stays with such a thread until the thread ends or binds
 * again.
 */
final class InheritableContext<T> extends ScopedContext<T> {

  /** One binding: its value, the binding it hides, and whether its call is still running. */
  private static final class Frame<T> {
    final T value;
    final @Nullable Frame<T> outer;
    volatile boolean open = true;

    Frame(T value, @Nullable Frame<T> outer) {
      this.value = value;
      this.outer = outer;
    }
  }

  private final InheritableThreadLocal<@Nullable Frame<T>> frames = new InheritableThreadLocal<>();

  private @Nullable Frame<T> current() {
    Frame<T> frame = frames.get();
    while (frame != null && !frame.open) {
      frame = frame.outer;
    }
    return frame;
  }

  @Override
  public boolean isBound() {
    return current() != null;
  }

  @Override
  public @Nullable T orNull() {
    Frame<T> frame = current();
    return frame == null ? null : frame.value;
  }

  @Override
  public <R, X extends Throwable> R call(T value, Op<R, X> op) throws X {
    java.util.Objects.requireNonNull(value, "value must not be null");
    Frame<T> previous = frames.get();
    Frame<T> frame = new Frame<>(value, previous);
    frames.set(frame);
    try {
      return op.call();
    } finally {
      frame.open = false;
      if (previous == null) {
        frames.remove();
      } else {
        frames.set(previous);
      }
    }
  }

  /** Makes {@link InheritableContext}s. */
  static final class Factory implements ScopedContext.Factory {
    @Override
    public <T> ScopedContext<T> create() {
      return new InheritableContext<>();
    }

    @Override
    public String name() {
      return ScopedContexts.INHERITABLE;
    }
  }
}
