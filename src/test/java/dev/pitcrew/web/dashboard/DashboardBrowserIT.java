package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.service.Http;
import dev.pitcrew.service.TableForge;
import dev.pitcrew.service.TestParts;
import dev.pitcrew.web.dashboard.TestStore.Action;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium against the real service on loopback ({@code
 * PitcrewService}: its database, workflow, job runner and the JSON API behind {@code
 * PITCREW_API_TOKEN}): the chart draws, the approve button reaches {@code POST
 * /api/actions/{id}/approve} with the pasted token and the approved plan runs, and a phone-width
 * screen does not scroll sideways. Screenshots land in target/ for CI to keep.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final String TOKEN = "dashboard-test-token-" + System.nanoTime();
  static final String SECRET = "dashboard-webhook-secret";
  static final Instant NOW = Instant.now();
  static final RepoRef REPO = new RepoRef(Provider.GITHUB, "github.com", "octo-org/octo-repo");

  static Path dir;
  static PitcrewService service;
  static dev.pitcrew.store.Database probe;
  static TableForge forge;
  static TestStore store;
  static String base;
  static ChromeDriver driver;

  /** The two incidents the policy parked for a person: approved, then rejected, in the test. */
  static String toApprove;

  static String toReject;

  @BeforeAll
  static void start() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    if (ci && !present) {
      throw new IllegalStateException(
          "CI needs Debian's chromium and chromium-driver: .ci/run installs them");
    }
    assumeTrue(present, "install chromium and chromium-driver (apt-get) to run browser tests");

    dir = Files.createTempDirectory("pitcrew-dashboard-it-");
    Map<String, String> settings =
        Map.of(
            "PITCREW_DATA_DIR",
            dir.toString(),
            "PITCREW_API_TOKEN",
            TOKEN,
            "PITCREW_GITHUB_WEBHOOK_SECRET",
            SECRET,
            "PITCREW_POLL_INTERVAL",
            "200ms",
            "PITCREW_RETRY_BASE_DELAY",
            "100ms",
            "PITCREW_VERIFY_POLL_INTERVAL",
            "1h");
    PitcrewConfig config = PitcrewConfig.of(settings);
    probe = dev.pitcrew.store.Database.open(config);
    forge = new TableForge(probe.jdbi());
    // every plan waits for a person: the approvals the page shows are the workflow's own
    service =
        PitcrewService.start(
            config, TestParts.parts(forge, "none", Verdict.Decision.ASK), "127.0.0.1", 0);
    base = "http://127.0.0.1:" + service.port();
    store = TestStore.over(service.database().dataSource());
    store.seedMany(400, NOW, 11);
    store.insert(
        Action.of(
                "ra-hostile", NOW.minus(Duration.ofMinutes(40)), "dependency", "skipped", "manual")
            .withText(
                "acme/payments",
                "Major version bump of lodash needs a person",
                "[{\"line\": 88, \"text\": \"</script><img src=x onerror=alert(1)>"
                    + "-a-very-long-unbroken-evidence-line-that-must-wrap-on-a-phone-screen-"
                    + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]",
                "high"));
    Http http = new Http(service.port());
    toApprove = parked(http, 6001);
    toReject = parked(http, 6002);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // a driver path given here means Selenium Manager is never asked to download anything
    ChromeDriverService driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(driverService, options);
  }

  /** A failed run delivered as GitHub sends it, left by the workflow waiting for approval. */
  static String parked(Http http, long runId) {
    forge.seed(new RunRef(REPO, Long.toString(runId), 1), "failed", TestParts.RUNNER_LOST_LOG);
    ObjectNode p = Payloads.workflowRun("failure");
    ((ObjectNode) p.get("workflow_run")).put("id", runId).put("run_attempt", 1);
    assertThat(http.github(SECRET, "workflow_run", "d-" + runId, Payloads.bytes(p)).status())
        .isEqualTo(202);
    String key = new RunRef(REPO, Long.toString(runId), 1).key();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                service
                    .incidents()
                    .idForRun(key)
                    .flatMap(service.incidents()::action)
                    .map(a -> a.status().equals("awaiting_approval"))
                    .orElse(false));
    return service.incidents().idForRun(key).orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.close();
    }
    if (probe != null) {
      probe.close();
    }
  }

  @Test
  @Order(1)
  void overviewLoadsAndDrawsTheTrendChartWithoutConsoleErrors() throws Exception {
    driver.get(base + "/");
    WebElement canvas =
        new WebDriverWait(driver, Duration.ofSeconds(20))
            .until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trend-chart canvas")));
    assertThat(canvas.getSize().getWidth()).isGreaterThan(300);
    assertThat(canvas.getSize().getHeight()).isGreaterThan(150);
    // the legend shows both series: uPlot ran over our data, not just created an element
    assertThat(driver.findElement(By.id("trend-chart")).getText())
        .contains("Failures", "Fixed automatically");
    assertThat(driver.findElements(By.cssSelector("#categories progress"))).hasSizeGreaterThan(3);
    assertThat(severe()).isEmpty();
    screenshot("dashboard-desktop.png");
  }

  @Test
  @Order(2)
  void approveWithoutOrWithAWrongTokenChangesNothing() throws Exception {
    driver.get(base + "/");
    approveButton(toApprove).click();
    assertThat(status()).contains("Paste the API token above");

    driver.findElement(By.id("api-token")).sendKeys("wrong-token");
    driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    approveButton(toApprove).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> status().contains("The API answered 401"));
    assertThat(statusInStore(toApprove)).isEqualTo("awaiting_approval");
    assertThat(driver.findElements(By.cssSelector("tr[data-action-id='" + toApprove + "']")))
        .hasSize(1);
    assertThat(forge.calls("rerun")).isZero();
  }

  @Test
  @Order(3)
  void approveAndRejectCallTheApiAndTheRowsDisappear() throws Exception {
    driver.get(base + "/");
    driver.findElement(By.id("api-token")).sendKeys(TOKEN);
    driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    assertThat(driver.findElement(By.id("api-token")).getAttribute("value")).isEmpty();

    approveButton(toApprove).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("tr[data-action-id='" + toApprove + "']")));
    assertThat(status()).contains("Approved " + toApprove);
    // the approval resumed the plan: the workflow re-ran the failed jobs and now verifies
    await().atMost(Duration.ofSeconds(60)).until(() -> forge.calls("rerun") == 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> statusInStore(toApprove).equals("verifying"));
    assertThat(service.audit().trail(toApprove))
        .anySatisfy(e -> assertThat(e.event()).isEqualTo("approved"));

    driver.findElement(By.cssSelector("button.reject[data-action-id='" + toReject + "']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("tr[data-action-id='" + toReject + "']")));
    await().atMost(Duration.ofSeconds(30)).until(() -> statusInStore(toReject).equals("skipped"));
    assertThat(forge.calls("rerun")).isEqualTo(1);

    // the token stays in this tab only; a reload shows what the store now says
    driver.navigate().refresh();
    assertThat(driver.findElements(By.cssSelector("tr[data-action-id='" + toApprove + "']")))
        .isEmpty();
    Object kept = driver.executeScript("return sessionStorage.getItem('pitcrew.apiToken')");
    assertThat(kept).isEqualTo(TOKEN);
    assertThat(driver.manage().getCookies()).isEmpty();
    assertThat(severe()).isEmpty();
  }

  @Test
  @Order(4)
  void aPhoneWidthScreenHasOneColumnAndNoSidewaysScroll() throws Exception {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    try {
      for (String path :
          List.of("/", "/actions", "/actions/ra-hostile", "/actions/" + toApprove, "/playbooks")) {
        driver.get(base + path);
        JavascriptExecutor js = driver;
        long inner = (Long) js.executeScript("return window.innerWidth");
        long scroll = (Long) js.executeScript("return document.documentElement.scrollWidth");
        assertThat(inner).as(path).isEqualTo(390);
        assertThat(scroll).as(path + " scrolls sideways").isLessThanOrEqualTo(inner);
      }
      driver.get(base + "/");
      new WebDriverWait(driver, Duration.ofSeconds(20))
          .until(
              ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trend-chart canvas")));
      String columns =
          (String)
              driver.executeScript(
                  "return getComputedStyle(document.querySelector('.grid')).gridTemplateColumns");
      assertThat(columns.trim().split("\\s+")).as("grid columns: " + columns).hasSize(1);
      long chartWidth =
          (Long)
              driver.executeScript(
                  "return document.querySelector('#trend-chart canvas').getBoundingClientRect()"
                      + ".width | 0");
      assertThat(chartWidth).isBetween(200L, 390L);
      screenshot("dashboard-phone.png");
      assertThat(severe()).isEmpty();
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  private WebElement approveButton(String id) {
    return driver.findElement(By.cssSelector("button.approve[data-action-id='" + id + "']"));
  }

  private String status() {
    return driver.findElement(By.id("approval-status")).getText();
  }

  private List<String> severe() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        // the deliberate 401 of the wrong-token test is logged by Chromium as a failed resource
        .filter(m -> !m.contains("401"))
        .toList();
  }

  private static void screenshot(String name) throws Exception {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String statusInStore(String id) {
    return service.incidents().action(id).map(a -> a.status()).orElse("(missing)");
  }
}
