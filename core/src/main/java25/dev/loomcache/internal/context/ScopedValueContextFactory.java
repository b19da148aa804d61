package dev.loomcache.internal.context;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes the Java 25 {@link ScopedContext}s: each a {@link ScopedValue}, so a binding follows {@code
 * StructuredTaskScope} forks and nothing else. Compiled with release 25 into {@code
 * META-INF/versions/25}; {@link ScopedContexts} loads it by name.
 */
final class ScopedValueContextFactory implements ScopedContext.Factory {

  ScopedValueContextFactory() {}

  @Override
  public <T> ScopedContext<T> create() {
    return new ScopedValueContext<>();
  }

  @Override
  public String name() {
    return ScopedContexts.SCOPED_VALUE;
  }

  private static final class ScopedValueContext<T> extends ScopedContext<T> {
    private final ScopedValue<T> value = ScopedValue.newInstance();

    @Override
    public boolean isBound() {
      return value.isBound();
    }

    @Override
    public @Nullable T orNull() {
      return value.isBound() ? value.get() : null;
    }

    @Override
    public <R, X extends Throwable> R call(T bound, Op<R, X> op) throws X {
      Objects.requireNonNull(bound, "value must not be null");
      return ScopedValue.where(value, bound).call(op::call);
    }
  }
}
