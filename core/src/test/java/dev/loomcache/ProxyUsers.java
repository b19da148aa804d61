package dev.loomcache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Test support: a small annotated service and an in-memory target that counts its calls. */
final class ProxyUsers {
  private ProxyUsers() {}

  interface UserService {
    @Cached
    @Nullable String findUser(long id);

    @Cached(name = "byName", ttl = "5m")
    @Nullable Long findByName(String name, @KeyIgnore Object session);

    @Cached
    List<String> listUsers();

    @Invalidates(value = "findUser", keys = "id")
    void rename(long id, String name) throws IOException;

    @Invalidates("listUsers")
    @Invalidates(value = "findUser", keys = "userId")
    void delete(@ParamName("userId") long id);

    @Invalidates("byName")
    void clearNames();

    void audit(String message);

    default String greet(long id) {
      return "hello " + findUser(id);
    }
  }

  /** The real implementation: a map, plus a count of calls per method. */
  static class InMemoryUsers implements UserService {
    final Map<Long, String> names = new ConcurrentHashMap<>(Map.of(1L, "ada", 2L, "alan"));
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> audits = new ArrayList<>();
    volatile @Nullable Exception renameFailure;
    volatile @Nullable Runnable duringRename;

    int calls(String method) {
      return calls.computeIfAbsent(method, m -> new AtomicInteger()).get();
    }

    private void count(String method) {
      calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public @Nullable String findUser(long id) {
      count("findUser");
      return names.get(id);
    }

    @Override
    public @Nullable Long findByName(String name, Object session) {
      count("findByName");
      return names.entrySet().stream()
          .filter(e -> e.getValue().equals(name))
          .map(Map.Entry::getKey)
          .findFirst()
          .orElse(null);
    }

    @Override
    public List<String> listUsers() {
      count("listUsers");
      return List.copyOf(new TreeMap<>(names).values());
    }

    @Override
    public void rename(long id, String name) throws IOException {
      count("rename");
      Runnable during = duringRename;
      if (during != null) {
        during.run();
      }
      Exception failure = renameFailure;
      if (failure instanceof IOException io) {
        throw io;
      }
      if (failure instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      names.put(id, name);
    }

    @Override
    public void delete(long id) {
      count("delete");
      names.remove(id);
    }

    @Override
    public void clearNames() {
      count("clearNames");
    }

    @Override
    public void audit(String message) {
      audits.add(message);
    }

    @Override
    public String toString() {
      return "InMemoryUsers" + new TreeMap<>(names);
    }
  }
}
