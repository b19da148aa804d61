package dev.loomcache.benchmarks;

/** A harness stand-in for {@link ForksTest}: emits its arguments as results, or fails on "fail". */
public final class ForkedEcho {
  private ForkedEcho() {}

  public static void main(String[] args) {
    System.out.println("a line that is not a result");
    for (String arg : args) {
      if (arg.equals("fail")) {
        System.exit(3);
      }
      Forks.emit(arg, arg.length());
    }
    Forks.emit("property", System.getProperty("echo.property", "unset"));
  }
}
