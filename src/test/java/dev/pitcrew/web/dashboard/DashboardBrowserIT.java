package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pitcrew.web.dashboard.TestStore.Action;
import io.javalin.Javalin;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The dashboard in Debian's headless Chromium against a real server on loopback: the chart draws,
 * the approve button reaches the API with the pasted token, and a phone-width screen does not
 * scroll sideways. Screenshots land in target/ for CI to keep.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final String TOKEN = "dashboard-test-token-" + System.nanoTime();
  static final Instant NOW = Instant.now();

  static TestStore store;
  static Javalin app;
  static String base;
  static ChromeDriver driver;

  @BeforeAll
  static void start() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    if (ci && !present) {
      throw new IllegalStateException(
          "CI needs Debian's chromium and chromium-driver: .ci/run installs them");
    }
    assumeTrue(present, "install chromium and chromium-driver (apt-get) to run browser tests");

    store = TestStore.h2();
    store.seedMany(400, NOW, 11);
    store.insert(
        Action.of(
                "ra-approve-me",
                NOW.minus(Duration.ofMinutes(30)),
                "dependency",
                "awaiting_approval",
                "pending")
            .withText(
                "acme/payments",
                "Major version bump of lodash needs a person",
                "[{\"line\": 88, \"text\": \"</script><img src=x onerror=alert(1)>"
                    + "-a-very-long-unbroken-evidence-line-that-must-wrap-on-a-phone-screen-"
                    + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]",
                "high"),
        Action.of(
                "ra-reject-me",
                NOW.minus(Duration.ofMinutes(20)),
                "resource",
                "awaiting_approval",
                "pending")
            .withText("acme/web", "Raise the memory limit to 8 GiB", "[]", "high"));
    Dashboard dashboard =
        new Dashboard(
            new SqlDashboardData(store.db, Clock.systemUTC(), TestStore.EFFORT), Optional.empty());
    app =
        Javalin.create(
                cfg -> {
                  dashboard.routes().accept(cfg);
                  ApprovalApi.routes(store.db, TOKEN).accept(cfg);
                })
            .start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port();

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
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (app != null) {
      app.stop();
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
    approveButton("ra-approve-me").click();
    assertThat(status()).contains("Paste the API token above");

    driver.findElement(By.id("api-token")).sendKeys("wrong-token");
    driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    approveButton("ra-approve-me").click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> status().contains("The API answered 401"));
    assertThat(statusInStore("ra-approve-me")).isEqualTo("awaiting_approval");
    assertThat(driver.findElements(By.cssSelector("tr[data-action-id='ra-approve-me']")))
        .hasSize(1);
  }

  @Test
  @Order(3)
  void approveAndRejectCallTheApiAndTheRowsDisappear() throws Exception {
    driver.get(base + "/");
    driver.findElement(By.id("api-token")).sendKeys(TOKEN);
    driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    assertThat(driver.findElement(By.id("api-token")).getAttribute("value")).isEmpty();

    approveButton("ra-approve-me").click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("tr[data-action-id='ra-approve-me']")));
    assertThat(status()).contains("Approved ra-approve-me");
    assertThat(statusInStore("ra-approve-me")).isEqualTo("remediating");

    driver.findElement(By.cssSelector("button.reject[data-action-id='ra-reject-me']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("tr[data-action-id='ra-reject-me']")));
    assertThat(statusInStore("ra-reject-me")).isEqualTo("skipped");

    // the token stays in this tab only; a reload shows what the store now says
    driver.navigate().refresh();
    assertThat(driver.findElements(By.cssSelector("tr[data-action-id='ra-approve-me']"))).isEmpty();
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
      for (String path : List.of("/", "/actions", "/actions/ra-approve-me", "/playbooks")) {
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

  private static String statusInStore(String id) throws Exception {
    try (Connection c = store.db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT status FROM actions WHERE action_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "(missing)";
      }
    }
  }
}
