package dev.loomcache.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, installed by {@code .ci/run}) driven through chromedriver with Selenium. The
 * driver and browser paths are given explicitly, so Selenium Manager never runs (and the build sets
 * {@code SE_OFFLINE} in case it would). Every process the test starts is stopped at the end.
 */
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Selenium warns through java.util.logging that it has no DevTools classes for this Chromium; the
   * test uses WebDriver only. Held here so the setting outlives garbage collection.
   */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  /**
   * The Chronicle file's folder: as long as a real checkout's can be, because the tiers panel shows
   * its absolute path and a long one must still fit the card.
   */
  private static final String DEEP_DATA_FOLDER =
      "home/alexandra.konstantinopoulou/src/github.com/loomcache/loomcache/data";

  private static ChromeDriverService service;
  private static ChromeDriver browser;
  private static Path target;
  @TempDir private static Path data;
  private Dashboard dashboard;

  @BeforeAll
  static void start() throws Exception {
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    target = Path.of(System.getProperty("loomcache.target", "target"));
    String chromium = System.getProperty("loomcache.chromium", "/usr/bin/chromium");
    String chromedriver = System.getProperty("loomcache.chromedriver", "/usr/bin/chromedriver");
    assertThat(Path.of(chromium))
        .as("Chromium is needed: apt-get install chromium chromium-driver")
        .isExecutable();
    assertThat(Path.of(chromedriver))
        .as("chromedriver is needed: apt-get install chromium-driver")
        .isExecutable();

    Path profile = Files.createDirectories(target.resolve("chromium-profile-" + System.nanoTime()));
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .withLogFile(target.resolve("chromedriver.log").toFile())
            .build();
    var options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,2400",
        "--user-data-dir=" + profile.toAbsolutePath());
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    // Everything below this JVM now is chromedriver, Chromium and Chromium's helpers.
    List<ProcessHandle> started = ProcessHandle.current().descendants().toList();
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (service != null) {
        service.stop();
      }
    }
    var survivors = new ArrayList<String>();
    for (ProcessHandle process : started) {
      try {
        process.onExit().get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        survivors.add(process.pid() + " " + process.info().command().orElse("?"));
        process.destroyForcibly();
      }
    }
    assertThat(survivors).as("processes the browser test started and that did not stop").isEmpty();
  }

  /** Each test has its own dashboard (so its own run numbers and statistics) and data folder. */
  @BeforeEach
  void startDashboard(TestInfo test) throws Exception {
    Path folder =
        Files.createDirectories(
            data.resolve(test.getTestMethod().orElseThrow().getName()).resolve(DEEP_DATA_FOLDER));
    dashboard =
        Dashboard.newBuilder()
            .port(0)
            .sampleInterval(Duration.ofMillis(250))
            .dataDirectory(folder)
            .start();
  }

  @AfterEach
  void stopDashboard() {
    browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    dashboard.close();
  }

  @Test
  void oneKeyScenario_runFromThePage_showsOneLoaderCallForAllRequests() throws Exception {
    var wait = new WebDriverWait(browser, WAIT);
    browser.get(dashboard.uri().toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run-one-key")));
    wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
    assertThat(browser.findElement(By.id("info")).getText())
        .contains("this request ran on a virtual thread");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("agent-shopping")));

    // A bad value: the server's message is shown in the page, and nothing runs.
    type(By.id("requests-one-key"), "lots");
    browser.findElement(By.id("run-one-key")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("scenario-error")));
    assertThat(browser.findElement(By.id("scenario-error")).getText())
        .isEqualTo("requests must be a whole number from 1 to 10000, but was 'lots'.");
    assertThat(browser.findElement(By.id("result")).isDisplayed()).isFalse();

    type(By.id("config-maximumSize"), "huge");
    browser.findElement(By.id("config-apply")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-error")));
    assertThat(browser.findElement(By.id("config-error")).getText())
        .isEqualTo("maximumSize must be a whole number from 0 to 1000000, but was 'huge'.");
    // Corrected and applied, the configuration rebuilds the cache and the error goes away.
    type(By.id("config-maximumSize"), "5000");
    browser.findElement(By.id("config-apply")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("config-status"), "Rebuilt at"));
    assertThat(browser.findElement(By.id("config-error")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("config-status")).getText())
        .contains("maximum size 5,000, TTL never, batch window 5 ms, batch size 100");

    // The scenario itself: 1,000 virtual threads ask for one missing key at once.
    type(By.id("requests-one-key"), "1000");
    browser.findElement(By.id("run-one-key")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result-title"), "run 1"));

    assertThat(browser.findElement(By.id("scenario-error")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("result-loader-calls")).getText()).isEqualTo("1");
    assertThat(browser.findElement(By.id("result-title")).getText())
        .isEqualTo("Result: N concurrent gets of one key (run 1)");
    assertThat(browser.findElement(By.id("result-loader-label")).getText())
        .isEqualTo("loader call");
    assertThat(browser.findElement(By.id("result-requests")).getText()).isEqualTo("1,000");
    assertThat(browser.findElement(By.id("result-summary")).getText())
        .startsWith("1000 requests, 1 loader call;");
    assertThat(browser.findElement(By.id("result-facts")).getText())
        .contains("distinct values received\n1");
    assertThat(statRow("loads")).isEqualTo("loads 0 1 1");
    assertThat(statRow("misses")).endsWith(" " + misses());

    // The live charts pick the run up from the event stream.
    wait.until(d -> !d.findElements(By.cssSelector("#chart-latency polyline")).isEmpty());
    wait.until(d -> !d.findElements(By.cssSelector("#chart-coalesced polyline")).isEmpty());

    // The agent panel: the shopping scenario's calls, one line each.
    browser.findElement(By.id("agent-shopping")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("agent-panel"), "add_to_cart invalidated \"cart\" before and after it ran"));
    assertThat(browser.findElement(By.id("agent-panel")).getText())
        .contains("[cached] search_products {\"limit\":10,\"query\":\"running shoes\"}");

    Path screenshot = target.resolve("dashboard-one-key.png");
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Files.write(screenshot, png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
  }

  @Test
  void langChain4jPanel_runFromThePage_showsEachToolsHitsTheWriteAndTheLoop() throws Exception {
    var wait = new WebDriverWait(browser, WAIT);
    browser.get(dashboard.uri().toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.id("langchain4j-shopping")));
    assertThat(browser.findElement(By.id("langchain4j-summary")).getText())
        .contains("real LangChain4j AiServices agent");

    // The shopping conversation: two searches (one hit), cart reads around an invalidating write.
    browser.findElement(By.id("langchain4j-shopping")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("langchain4j-events"), "The model answered: Added sku-1 to your cart."));
    String log = browser.findElement(By.id("langchain4j-events")).getText();
    assertThat(log)
        .contains("[cached] searchProducts {\"query\":\"running shoes\"} → served from the cache")
        .contains(
            "[invalidated] addToCart {\"userId\":\"user-1\",\"sku\":\"sku-1\"} → ran the tool")
        .containsPattern(
            "\\[executed\\] getCart \\{\"userId\":\"user-1\"\\} → ran the tool"
                + " \\([0-9.]+ ms\\): user-1: \\[sku-1\\]");
    assertThat(toolRow("searchProducts"))
        .isEqualTo(List.of("2", "1", "1", "0", "0", "0", "0", "1"));
    assertThat(toolRow("getCart")).isEqualTo(List.of("3", "1", "2", "0", "0", "0", "0", "2"));
    assertThat(toolRow("addToCart")).isEqualTo(List.of("1", "0", "0", "1", "0", "0", "0", "1"));

    // The looping conversation: the fourth identical read trips the detector, raised each time.
    browser.findElement(By.id("langchain4j-loop-raise")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("langchain4j-events"), "The model answered: I keep reading the same cart."));
    assertThat(browser.findElement(By.id("langchain4j-events")).getText())
        .contains("[raised] getCart {\"userId\":\"user-2\"} → loop REPEAT detected");
    // 3 + 6 calls; hits 1 + 2; misses 2 + 1; 3 loops raised; 3 shop reads.
    assertThat(toolRow("getCart")).isEqualTo(List.of("9", "3", "3", "0", "3", "0", "3", "3"));
    assertThat(browser.findElement(By.id("langchain4j-error")).isDisplayed()).isFalse();

    Path screenshot = target.resolve("dashboard-langchain4j.png");
    WebElement section = browser.findElement(By.id("langchain4j-section"));
    browser.executeScript("arguments[0].scrollIntoView(true);", section);
    byte[] png = section.getScreenshotAs(OutputType.BYTES);
    Files.write(screenshot, png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void freshnessPanel_runFromThePage_showsEachOptionOnAndOffSideBySide() throws Exception {
    var wait = new WebDriverWait(browser, WAIT);
    browser.get(dashboard.uri().toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.id("freshness-database-down")));

    browser.findElement(By.id("freshness-database-down")).click();
    wait.until(d -> !d.findElements(By.id("freshness-table-database-down")).isEmpty());
    // The default run: 1,280 requests for keys past their TTL while the database fails.
    assertThat(freshnessRow("database-down", "errors seen by callers"))
        .isEqualTo(List.of("0", "1,280"));
    assertThat(freshnessRow("database-down", "stale values served"))
        .isEqualTo(List.of("1,280", "0"));

    wait.until(ExpectedConditions.elementToBeClickable(By.id("freshness-hot-keys")));
    browser.findElement(By.id("freshness-hot-keys")).click();
    wait.until(d -> !d.findElements(By.id("freshness-table-hot-keys")).isEmpty());
    assertThat(browser.findElement(By.cssSelector("#freshness-table-hot-keys thead")).getText())
        .contains("refreshAfter 700 ms")
        .contains("TTL only");
    List<String> refreshes = freshnessRow("hot-keys", "background refreshes");
    assertThat(refreshes.get(0)).isNotEqualTo("0");
    assertThat(refreshes.get(1)).isEqualTo("0");
    assertThat(freshnessRow("hot-keys", "caller latency p99, ms")).hasSize(2);
    assertThat(browser.findElement(By.id("freshness-events")).getText())
        .contains("[hot-keys] Hot keys for 3 s: with refresh-ahead")
        .contains("[database-down] Database down, 1280 requests: with stale-if-error 0 errors");
    assertThat(browser.findElement(By.id("freshness-error")).isDisplayed()).isFalse();

    Path screenshot = target.resolve("dashboard-freshness.png");
    WebElement section = browser.findElement(By.id("freshness-section"));
    browser.executeScript("arguments[0].scrollIntoView(true);", section);
    byte[] png = section.getScreenshotAs(OutputType.BYTES);
    Files.write(screenshot, png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  /** The two value cells (on, off) of the freshness table {@code table}'s row {@code measure}. */
  private static List<String> freshnessRow(String table, String measure) {
    Object cells =
        browser.executeScript(
            "const row = Array.from(document.querySelectorAll("
                + "'#freshness-table-' + arguments[0] + ' tbody tr')).find(r => r.cells[0].textContent"
                + " === arguments[1]); return row ? Array.from(row.cells).slice(1)"
                + ".map(td => td.textContent.trim()) : [];",
            table,
            measure);
    return ((List<?>) cells).stream().map(String::valueOf).toList();
  }

  /**
   * The counters of one row of the LangChain4j tools table, without the tool's name cell, read in
   * one script: the page redraws the table every few seconds, which would leave element references
   * taken one by one stale.
   */
  private static List<String> toolRow(String tool) {
    Object cells =
        browser.executeScript(
            "return Array.from(document.querySelectorAll("
                + "'#langchain4j-tools tr[data-tool=\"' + arguments[0] + '\"] td'))"
                + ".slice(1).map(td => td.textContent.trim());",
            tool);
    return ((List<?>) cells).stream().map(String::valueOf).toList();
  }

  @Test
  void layout_at1366And390PixelsWide_nothingIsWiderThanTheViewportOrItsCard() throws Exception {
    var wait = new WebDriverWait(browser, WAIT);
    viewport(1366, 900);
    browser.get(dashboard.uri().toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run-mix")));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("agent-shopping")));

    // Fill every panel with what a user sees after trying things: a result with all its facts,
    // the tiers table with the Chronicle file's (long) path and the agent's log.
    browser.findElement(By.id("run-mix")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result-title"), "run 1"));
    browser.findElement(By.id("agent-shopping")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("agent-panel"), "add_to_cart invalidated"));
    // The LangChain4j panel's widest content: its per-tool table and a raised loop's message.
    wait.until(ExpectedConditions.elementToBeClickable(By.id("langchain4j-loop-raise")));
    browser.findElement(By.id("langchain4j-loop-raise")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("langchain4j-events"), "[raised]"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("tiers-table"), DEEP_DATA_FOLDER));
    wait.until(d -> !d.findElements(By.cssSelector("#chart-latency polyline")).isEmpty());

    for (int[] size : new int[][] {{1366, 900}, {390, 844}}) {
      viewport(size[0], size[1]);
      assertThat(((Number) browser.executeScript("return window.innerWidth;")).intValue())
          .as("the viewport's width")
          .isEqualTo(size[0]);
      assertThat(layoutProblems()).as("layout at %d px", size[0]).isEmpty();
      // The whole page, not only the viewport, so that a reader of the build can check it by eye.
      Map<String, Object> shot =
          browser.executeCdpCommand(
              "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
      Files.write(
          target.resolve("dashboard-" + size[0] + ".png"),
          Base64.getDecoder().decode((String) shot.get("data")));
    }
  }

  @Test
  void numbers_eachScenario_meanWhatTheirLabelsSay() throws Exception {
    var wait = new WebDriverWait(browser, WAIT);
    browser.get(dashboard.uri().toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run-batched-burst")));
    assertThat(browser.findElement(By.id("scenario-list")).getText())
        .doesNotContain("about as long as one load");

    // The batched burst: its headline counts the batch loader calls, not the 0 single-key ones.
    run(wait, "batched-burst", "1000", 1);
    String batchCalls = browser.findElement(By.id("result-loader-calls")).getText();
    assertThat(Long.parseLong(batchCalls)).isGreaterThanOrEqualTo(10);
    assertThat(headline()).isEqualTo(batchCalls + " batch loader calls for 1,000 requests");
    assertThat(facts()).contains("batch loader calls\n" + batchCalls + " (1,000 keys)");

    // The first mix on these keys: hits, as its text promises, beside loads and waits.
    run(wait, "mix", "2000", 2);
    assertThat(browser.findElement(By.id("scenario-mix")).getText())
        .contains("later waves mostly hit");
    assertThat(changeOf("hits")).isGreaterThanOrEqualTo(1000);
    assertThat(changeOf("loads")).isPositive();
    assertThat(facts()).contains("elapsed\n").contains("(4 waves, one after another)");
    assertHitRateChangeIsAfterMinusBefore();

    // The same mix again: every read hits, and that is the run's own rate, not the change.
    run(wait, "mix", "2000", 3);
    assertThat(facts()).contains("hit rate of this run's reads\n1\n");
    assertHitRateChangeIsAfterMinusBefore();
    assertThat(statRow("hit rate").split(" ")[4]).isNotEqualTo("+1");

    // The warmup receives no values, so it shows no count of them; its N counts keys.
    run(wait, "warmup", "200", 4);
    assertThat(headline()).isEqualTo("200 loader calls for 200 keys");
    assertThat(facts()).doesNotContain("distinct values received").contains("failed keys\n0");

    // Unique keys: the elapsed time beside the time the loads took in all.
    run(wait, "unique-keys", "300", 5);
    assertThat(headline()).isEqualTo("300 loader calls for 300 requests");
    assertThat(facts())
        .containsPattern("time inside loader calls, summed\n[\\d,.]+ ms over 300 calls")
        .contains("distinct values received\n300");
  }

  /** Runs {@code scenario} from the page with N = {@code requests} and waits for its result. */
  private static void run(WebDriverWait wait, String scenario, String requests, int run) {
    type(By.id("requests-" + scenario), requests);
    browser.findElement(By.id("run-" + scenario)).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("result-title"), "(run " + run + ")"));
    assertThat(browser.findElement(By.id("scenario-error")).isDisplayed()).isFalse();
  }

  private static String headline() {
    return browser.findElement(By.cssSelector("#result .headline")).getText();
  }

  private static String facts() {
    return browser.findElement(By.id("result-facts")).getText() + "\n";
  }

  /** The change column of the result table's row {@code label}, as a number. */
  private static long changeOf(String label) {
    String[] cells = statRow(label).substring(label.length() + 1).split(" ");
    return Long.parseLong(cells[2].replace(",", ""));
  }

  /** The hit-rate row's change is the difference of its before and after columns, as shown. */
  private static void assertHitRateChangeIsAfterMinusBefore() {
    String[] cells = statRow("hit rate").substring("hit rate ".length()).split(" ");
    BigDecimal difference = new BigDecimal(cells[1]).subtract(new BigDecimal(cells[0]));
    String expected =
        difference.signum() > 0
            ? "+" + difference.stripTrailingZeros().toPlainString()
            : difference.signum() == 0 ? "0" : difference.stripTrailingZeros().toPlainString();
    assertThat(cells[2]).as("hit rate change in " + String.join(" ", cells)).isEqualTo(expected);
  }

  /**
   * Makes the page's viewport {@code width} by {@code height} CSS pixels, as a window that size.
   */
  private static void viewport(int width, int height) {
    browser.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /**
   * What sticks out, described one per line: the document wider than the viewport, a card wider
   * than the viewport, an element (a table above all) reaching outside its card's content box, or
   * an element whose content overflows it sideways (a clipped or scrolled cell, a long word).
   */
  @SuppressWarnings("unchecked")
  private static List<String> layoutProblems() {
    return (List<String>)
        browser.executeScript(
            """
            const problems = [];
            const doc = document.documentElement;
            const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')
                + ' "' + (e.textContent || '').trim().slice(0, 40) + '"';
            if (doc.scrollWidth > doc.clientWidth) {
              problems.push('the document is ' + doc.scrollWidth + ' px wide in a ' + doc.clientWidth
                  + ' px viewport');
            }
            for (const card of document.querySelectorAll('header, section, footer')) {
              const box = card.getBoundingClientRect();
              if (box.right > doc.clientWidth + 0.5 || box.left < -0.5) {
                problems.push(name(card) + ' spans ' + box.left + ' to ' + box.right + ' px');
              }
              const style = getComputedStyle(card);
              const left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
              const right = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
              for (const e of card.querySelectorAll('*')) {
                if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
                const r = e.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue;
                if (r.right > right + 0.5 || r.left < left - 0.5) {
                  problems.push(name(e) + ' spans ' + Math.round(r.left) + ' to ' + Math.round(r.right)
                      + ' px, outside its card (' + Math.round(left) + ' to ' + Math.round(right) + ')');
                }
                if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                    && !(e instanceof HTMLInputElement)) {
                  problems.push(name(e) + ' holds ' + e.scrollWidth + ' px of content in '
                      + e.clientWidth + ' px');
                }
              }
            }
            return problems;
            """);
  }

  private static void type(By field, String text) {
    WebElement input = browser.findElement(field);
    input.clear();
    input.sendKeys(text);
  }

  /** The row of the before/after table for {@code label}, as "label before after change". */
  private static String statRow(String label) {
    for (WebElement row : browser.findElements(By.cssSelector("#result-stats tbody tr"))) {
      if (row.findElement(By.tagName("td")).getText().equals(label)) {
        return row.getText().replace('\n', ' ');
      }
    }
    throw new AssertionError("no row " + label + " in the result table");
  }

  /** The misses the page should show changed: every request missed or hit, 1,000 in all. */
  private static String misses() {
    String hits = statRow("hits").split(" ")[3];
    return String.format("%,d", 1000 - Long.parseLong(hits.replace(",", "")));
  }
}
