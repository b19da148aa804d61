package dev.loomcache.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/run}) driven through chromedriver with Selenium.
 * The driver and browser paths are given explicitly, so Selenium Manager never runs (and the build
 * sets {@code SE_OFFLINE} in case it would). Every process the test starts is stopped at the end.
 */
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * Selenium warns through java.util.logging that it has no DevTools classes for this Chromium;
   * the test uses WebDriver only. Held here so the setting outlives garbage collection.
   */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private static Dashboard dashboard;
  private static ChromeDriverService service;
  private static WebDriver browser;
  private static Path target;
  @TempDir private static Path data;

  @BeforeAll
  static void start() throws Exception {
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    target = Path.of(System.getProperty("loomcache.target", "target"));
    String chromium = System.getProperty("loomcache.chromium", "/usr/bin/chromium");
    String chromedriver = System.getProperty("loomcache.chromedriver", "/usr/bin/chromedriver");
    assertThat(Path.of(chromium)).as("Chromium is needed: apt-get install chromium chromium-driver")
        .isExecutable();
    assertThat(Path.of(chromedriver)).as("chromedriver is needed: apt-get install chromium-driver")
        .isExecutable();

    dashboard = Dashboard.newBuilder().port(0).sampleInterval(Duration.ofMillis(250))
        .dataDirectory(data).start();
    Path profile = Files.createDirectories(target.resolve("chromium-profile-" + System.nanoTime()));
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort()
        .withLogFile(target.resolve("chromedriver.log").toFile())
        .build();
    var options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,2400",
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
      if (dashboard != null) {
        dashboard.close();
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
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-status"),
        "Rebuilt at"));
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
    assertThat(browser.findElement(By.id("result-loader-label")).getText()).isEqualTo("loader call");
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
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-panel"),
        "add_to_cart invalidated \"cart\" before and after it ran"));
    assertThat(browser.findElement(By.id("agent-panel")).getText())
        .contains("[cached] search_products {\"limit\":10,\"query\":\"running shoes\"}");

    Path screenshot = target.resolve("dashboard-one-key.png");
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(screenshot, png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
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
