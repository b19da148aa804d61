package dev.loomcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.agent.ToolOutcome.Source;
import dev.loomcache.testsupport.Concurrently;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Write tools: invalidate their resources before and after they run, also when they throw. */
class WriteToolTest {
  record CartQuery(String userId) {}

  record AddItem(String userId, String sku) {}

  private final AgentCache agents = AgentCache.newBuilder().build();

  /** The backend: the cart's contents, read by get_cart and changed by add_to_cart. */
  private final AtomicReference<String> backend = new AtomicReference<>("empty");

  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger version = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();

  @AfterEach
  void closeCache() {
    agents.close();
  }

  private Tool<CartQuery, String> getCart(Scope scope) {
    return agents
        .readTool(
            "get_cart",
            (CartQuery q) -> {
              reads.incrementAndGet();
              return backend.get();
            })
        .resource("cart")
        .scope(scope)
        .build();
  }

  private Tool<AddItem, String> addToCart(Scope scope) {
    return agents
        .writeTool(
            "add_to_cart",
            (AddItem a) -> {
              backend.set(a.sku());
              return "added " + a.sku();
            })
        .invalidates("cart")
        .scope(scope)
        .build();
  }

  @Test
  void call_writeOnTheSameResource_makesTheNextReadAMiss() {
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    Tool<AddItem, String> addToCart = addToCart(Scope.GLOBAL);

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("empty");
    assertThat(getCart.callOutcome(new CartQuery("u1")).fromCache()).isTrue();
    ToolOutcome<String> written = addToCart.callOutcome(new AddItem("u1", "sku-42"));
    ToolOutcome<String> reread = getCart.callOutcome(new CartQuery("u1"));

    assertThat(written.source()).isEqualTo(Source.EXECUTED);
    assertThat(written.value()).isEqualTo("added sku-42");
    assertThat(reread.source()).isEqualTo(Source.EXECUTED);
    assertThat(reread.value()).isEqualTo("sku-42");
    assertThat(agents.stats().invalidations()).isEqualTo(1);
  }

  @Test
  void call_writeOnAnotherResource_leavesEntriesAlone() {
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    Tool<String, String> setProfile =
        agents.writeTool("set_profile", (String s) -> s).invalidates("profile").build();

    getCart.call(new CartQuery("u1"));
    setProfile.call("x");

    assertThat(getCart.callOutcome(new CartQuery("u1")).fromCache()).isTrue();
  }

  @Test
  void call_readTaggedWithSeveralResources_isInvalidatedByAnyOfThem() {
    Tool<CartQuery, String> summary =
        agents
            .readTool("summary", (CartQuery q) -> "s" + reads.incrementAndGet())
            .resource("cart", "profile")
            .build();
    Tool<String, String> setProfile =
        agents.writeTool("set_profile", (String s) -> s).invalidates("profile").build();

    assertThat(summary.call(new CartQuery("u1"))).isEqualTo("s1");
    setProfile.call("x");
    assertThat(summary.call(new CartQuery("u1"))).isEqualTo("s2");
  }

  @Test
  void call_failingWrite_stillInvalidatesAndIsRethrown() {
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    var cause = new IOException("half-written");
    Tool<AddItem, String> brokenWrite =
        agents
            .<AddItem, String>writeTool(
                "add_to_cart",
                a -> {
                  backend.set(a.sku()); // the write changed data before it failed
                  throw cause;
                })
            .invalidates("cart")
            .build();

    getCart.call(new CartQuery("u1"));
    assertThatThrownBy(() -> brokenWrite.call(new AddItem("u1", "sku-7")))
        .isInstanceOf(ToolExecutionException.class)
        .hasCause(cause);

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("sku-7");
    assertThat(reads).hasValue(2);
  }

  @Test
  void call_uncheckedFailureOfAWrite_passesThroughUnchanged() {
    var failure = new IllegalArgumentException("bad sku");
    Tool<AddItem, String> brokenWrite =
        agents
            .<AddItem, String>writeTool(
                "add_to_cart",
                a -> {
                  throw failure;
                })
            .invalidates("cart")
            .build();

    assertThatThrownBy(() -> brokenWrite.call(new AddItem("u1", "x"))).isSameAs(failure);
  }

  @Test
  void call_readThatBeganBeforeTheWriteAndFinishesAfterIt_doesNotLeaveThePreWriteValueCached()
      throws Exception {
    var readerHasOldValue = new CountDownLatch(1);
    var writeDone = new CountDownLatch(1);
    Tool<CartQuery, String> getCart =
        agents
            .readTool(
                "get_cart",
                (CartQuery q) -> {
                  String value = backend.get(); // reads "empty", before the write
                  reads.incrementAndGet();
                  readerHasOldValue.countDown();
                  writeDone.await(); // and stores it only after the write finished
                  return value;
                })
            .resource("cart")
            .build();
    Tool<AddItem, String> addToCart = addToCart(Scope.GLOBAL);

    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> slowRead = executor.submit(() -> getCart.call(new CartQuery("u1")));
      readerHasOldValue.await();
      addToCart.call(new AddItem("u1", "sku-42"));
      writeDone.countDown();
      assertThat(slowRead.get(30, TimeUnit.SECONDS)).isEqualTo("empty");
    }

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("sku-42");
    assertThat(reads).hasValue(2);
  }

  @Test
  void call_readThatRunsWhileTheWriteRuns_doesNotLeaveThePreWriteValueCached() throws Exception {
    var writeStarted = new CountDownLatch(1);
    var readDone = new CountDownLatch(1);
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    Tool<AddItem, String> slowWrite =
        agents
            .writeTool(
                "add_to_cart",
                (AddItem a) -> {
                  writeStarted.countDown();
                  readDone.await(); // a whole read happens after the first invalidation, before the
                  // change
                  backend.set(a.sku());
                  return "added";
                })
            .invalidates("cart")
            .build();

    getCart.call(new CartQuery("u1")); // cached "empty"
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> write = executor.submit(() -> slowWrite.call(new AddItem("u1", "sku-42")));
      writeStarted.await();
      ToolOutcome<String> during = getCart.callOutcome(new CartQuery("u1"));
      readDone.countDown();
      write.get(30, TimeUnit.SECONDS);

      // The first invalidation already dropped the cached entry: the read during the write ran.
      assertThat(during.source()).isEqualTo(Source.EXECUTED);
      assertThat(during.value()).isEqualTo("empty");
    }

    ToolOutcome<String> after = getCart.callOutcome(new CartQuery("u1"));
    assertThat(after.source()).isEqualTo(Source.EXECUTED);
    assertThat(after.value()).isEqualTo("sku-42");
  }

  @Test
  void call_manyReadsRacingManyWrites_neverServeAValueOlderThanTheLastCompletedWrite()
      throws Exception {
    Tool<CartQuery, Integer> getVersion =
        agents.readTool("get_version", (CartQuery q) -> version.get()).resource("cart").build();
    Tool<Integer, Integer> bump =
        agents
            .writeTool("bump", (Integer i) -> version.incrementAndGet())
            .invalidates("cart")
            .build();

    var results =
        Concurrently.run(
            64,
            Duration.ofSeconds(60),
            i ->
                () -> {
                  for (int n = 0; n < 500; n++) {
                    if (i % 8 == 0) {
                      int written = bump.call(n);
                      completed.accumulateAndGet(written, Math::max);
                    } else {
                      int floor = completed.get(); // writes completed before this read began
                      int seen = getVersion.call(new CartQuery("u1"));
                      if (seen < floor) {
                        throw new AssertionError(
                            "read " + seen + " after write " + floor + " had completed");
                      }
                    }
                  }
                  return null;
                });

    assertThat(results).noneMatch(Concurrently.Result::failed);
    assertThat(getVersion.call(new CartQuery("u1"))).isEqualTo(version.get());
  }

  @Test
  void call_writeWithNoResources_invalidatesNothingAndIsNotCounted() {
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    Tool<String, String> log = agents.writeTool("log", (String s) -> s).build();

    getCart.call(new CartQuery("u1"));
    assertThat(log.call("hello")).isEqualTo("hello");

    assertThat(getCart.callOutcome(new CartQuery("u1")).fromCache()).isTrue();
    assertThat(agents.stats().invalidations()).isZero();
    assertThat(log.isWrite()).isTrue();
    assertThat(log.resources()).isEmpty();
  }

  @Test
  void invalidateResources_dropsTheResourcesEntries() {
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    getCart.call(new CartQuery("u1"));
    backend.set("changed by a webhook");

    agents.invalidateResources("cart");

    assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("changed by a webhook");
  }

  @Test
  void call_globalWrite_invalidatesSessionEntriesOfItsResources() {
    Tool<CartQuery, String> getCart = getCart(Scope.SESSION);
    Tool<AddItem, String> addToCart = addToCart(Scope.GLOBAL);

    try (AgentSession a = agents.openSession("a");
        AgentSession b = agents.openSession("b")) {
      a.run(() -> getCart.call(new CartQuery("u1")));
      b.run(() -> addToCart.call(new AddItem("u1", "sku-42")));

      a.run(() -> assertThat(getCart.call(new CartQuery("u1"))).isEqualTo("sku-42"));
    }
  }

  @Test
  void call_sessionWrite_invalidatesOnlyTheBoundSessionsEntries() {
    Tool<CartQuery, String> getCart = getCart(Scope.SESSION);
    Tool<AddItem, String> addToCart = addToCart(Scope.SESSION);

    try (AgentSession a = agents.openSession("a");
        AgentSession b = agents.openSession("b")) {
      a.run(() -> getCart.call(new CartQuery("u1")));
      b.run(() -> getCart.call(new CartQuery("u1")));
      a.run(() -> addToCart.call(new AddItem("u1", "sku-42")));

      a.run(() -> assertThat(getCart.callOutcome(new CartQuery("u1")).executed()).isTrue());
      b.run(() -> assertThat(getCart.callOutcome(new CartQuery("u1")).fromCache()).isTrue());
      assertThat(a.stats().invalidations()).isEqualTo(1);
      assertThat(b.stats().invalidations()).isZero();
    }
  }

  @Test
  void call_sessionWrite_leavesSharedEntriesAlone() {
    Tool<CartQuery, String> getCart = getCart(Scope.GLOBAL);
    Tool<AddItem, String> addToCart = addToCart(Scope.SESSION);

    try (AgentSession a = agents.openSession("a")) {
      getCart.call(new CartQuery("u1"));
      a.run(() -> addToCart.call(new AddItem("u1", "sku-42")));
    }

    assertThat(getCart.callOutcome(new CartQuery("u1")).fromCache()).isTrue();
  }

  @Test
  void call_sessionWriteWithNoSession_throwsIllegalStateException() {
    Tool<AddItem, String> addToCart = addToCart(Scope.SESSION);

    assertThatThrownBy(() -> addToCart.call(new AddItem("u1", "x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no session is bound");
    assertThat(backend.get()).isEqualTo("empty");
  }
}
