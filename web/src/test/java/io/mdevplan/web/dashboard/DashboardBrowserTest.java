package io.mdevplan.web.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.mdevplan.web.demo.DemoFleetSeeder;
import io.mdevplan.web.testing.AdminTokenByDefault;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the service over the demo fleet: every page
 * loads with the API's data and logs no console error; a screenshot of each goes to target/screenshots/.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One browser for the class: starting Chromium costs more than a page. */
    private static ChromeDriver browser;
    private static boolean seeded;

    @Inject
    TestData data;

    @Inject
    DemoFleetSeeder seeder;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void seedTheDemoFleetOnce() {
        if (!seeded) {
            data.reset();
            assertThat(seeder.seedOnFirstStart(true)).isEqualTo(DemoFleetSeeder.Outcome.SEEDED);
            seeded = true;
        }
        if (browser == null) {
            browser = Chromium.start();
        }
        signIn(AdminTokenByDefault.ADMIN_TOKEN);
    }

    @AfterEach
    void noConsoleErrors() {
        if (browser != null) {
            var errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage).toList();
            assertThat(errors).as("console errors").isEmpty();
        }
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        seeded = false;
    }

    @Test
    void theFleetHeatmapHasOneCellPerParentAndEnterOpensTheParent() {
        var hosts = given().get("/api/v1/hosts").then().statusCode(200).extract().jsonPath();
        var parents = hosts.getList("parents.flatten()").size();

        open("fleet");

        var cells = browser.findElements(By.cssSelector("#heatmap button.cell"));
        assertThat(cells).hasSize(parents);
        assertThat(text("#heatmap-count")).isEqualTo("Showing " + parents + " of " + parents + " parents on 36 of 36"
                + " hosts.");
        var first = cells.get(0);
        var host = first.getDomAttribute("data-host");
        var parent = first.getDomAttribute("data-parent");
        first.sendKeys(Keys.SHIFT); // focus by keyboard: the tooltip shows on focus
        assertThat(browser.findElement(By.id("parent-tooltip")).getText()).contains("Pools", "available");
        screenshot("fleet");
        first.sendKeys(Keys.ARROW_DOWN);
        assertThat(browser.switchTo().activeElement().getDomAttribute("data-host")).isEqualTo("host-00001");
        browser.switchTo().activeElement().sendKeys(Keys.ARROW_UP, Keys.ARROW_RIGHT);
        assertThat(browser.switchTo().activeElement()).isEqualTo(cells.get(1));

        new Select(browser.findElement(By.name("driver"))).selectByValue("mtty");
        assertThat(browser.findElements(By.cssSelector("#heatmap button.cell")))
                .hasSize((int) hosts.getList("parents.flatten().findAll { it.driver == 'mtty' }").size());

        new Select(browser.findElement(By.name("driver"))).selectByValue("");
        browser.findElement(By.cssSelector("#heatmap button.cell")).sendKeys(Keys.ENTER);
        awaitLoaded("fleet/" + host + "/" + parent);
        var expected = given().get("/api/v1/hosts/" + host).then().extract().jsonPath()
                .getList("parents.find { it.address == '" + parent + "' }.types.available", Integer.class);
        var shown = browser.findElements(By.cssSelector("#parent-types tbody tr td:nth-child(5)")).stream()
                .map(WebElement::getText).map(Integer::valueOf).toList();
        assertThat(shown).isEqualTo(expected);
        screenshot("fleet-parent");
    }

    @Test
    void placementsAreListedAndAPlacementSaysWhyItWentThere() {
        var live = given().get("/api/v1/placements").then().statusCode(200).extract().jsonPath();
        var workload = live.getString("[0].workload");

        open("placements");

        assertThat(text("#placement-list caption")).isEqualTo(live.getList("$").size() + " of "
                + live.getList("$").size() + " live placements");
        browser.findElement(By.name("q")).sendKeys(workload);
        assertThat(browser.findElements(By.cssSelector("#placement-list tbody tr"))).hasSize(1);
        screenshot("placements");

        browser.findElement(By.linkText(workload)).click();
        awaitLoaded("placements/" + workload);
        assertThat(browser.findElements(By.cssSelector("#why-pools tbody tr"))).isNotEmpty();
        assertThat(text("#same-request-now")).startsWith("The same request now:");
        screenshot("placement");
    }

    @Test
    void aRefusedRequestShowsThePlannersReason() {
        open("placements");
        new Select(browser.findElement(By.name("type"))).selectByValue("nvidia-46");
        browser.findElement(By.name("hostSelector")).sendKeys("zone=c");
        browser.findElement(By.cssSelector("form[aria-label='Check a request'] button[type=submit]")).click();

        var reason = await(By.id("refusal-reason"));
        assertThat(reason.getText()).contains("Nothing can take vm-check-1 (nvidia-46 x1)", "zone=c", "Maybe");
        screenshot("placement-refused");
    }

    @Test
    void aFailedCreateShowsTheExecutorsErrorOnItsPlacementAndTheExecutorsPage() {
        var placed = given().contentType(ContentType.JSON)
                .body(Map.of("workload", "vm-failing", "type", "mtty-2")).post("/api/v1/placements")
                .then().statusCode(201).extract().jsonPath();
        var host = placed.getString("host");
        var action = given().get("/api/v1/hosts/" + host + "/actions").then().statusCode(200).extract().jsonPath()
                .getString("actions.find { it.uuid == '" + placed.getString("uuid") + "' }.id");
        given().contentType(ContentType.JSON)
                .body(Map.of("status", "failed", "error", Map.of("errno", "ENOSPC", "message", "no space left")))
                .post("/api/v1/hosts/" + host + "/actions/" + action + "/result").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("executorVersion", "0.1.0", "startedAt", "2026-11-27T03:55:00Z"))
                .post("/api/v1/hosts/" + host + "/heartbeat").then().statusCode(200);

        open("placements/vm-failing");
        assertThat(text("#placement-reason")).isEqualTo("ENOSPC: no space left");
        screenshot("placement-failed");

        open("executors");
        assertThat(browser.findElements(By.cssSelector("#executor-hosts tbody tr"))).hasSize(36);
        var row = browser.findElement(By.xpath("//table[@id='executor-hosts']//tr[td/a[text()='" + host + "']]"));
        assertThat(row.getText()).contains("0.1.0");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("ENOSPC: no space left");
        assertThat(browser.findElements(By.cssSelector("#executor-drift tbody tr"))).isNotEmpty();
        screenshot("executors");
    }

    @Test
    void aScenarioBuiltInTheFormRunsLiveAndShowsItsChartsThenComparesAndCommits() {
        open("scenarios");
        var count = browser.findElement(By.name("addCount"));
        count.clear();
        count.sendKeys("40");
        var limit = browser.findElement(By.name("timeLimit"));
        limit.clear();
        limit.sendKeys("2");
        new Select(browser.findElement(By.name("drainHosts"))).selectByValue("host-00002");
        browser.findElement(By.cssSelector("#scenario-form button[type=submit]")).click();

        new WebDriverWait(browser, PATIENCE).until(driver -> driver.findElements(
                By.cssSelector("#scenario-results .chart[data-drawn=true]")).size() == 4);
        var id = browser.getCurrentUrl().replaceAll(".*#/scenarios/", "");
        var scenario = given().get("/api/v1/scenarios/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(scenario.getString("state")).isEqualTo("done");
        assertThat(text("#scenario-progress")).contains("state done");
        assertThat(text("#scenario-figures")).contains("placed\n" + scenario.getInt("result.placed"));
        screenshot("scenario");

        var other = given().contentType(ContentType.JSON).body(Map.of("name", "spread-it", "policy", "spread",
                "headroomProfiles", List.of(Map.of("type", "nvidia-46"))))
                .post("/api/v1/scenarios?timeLimit=1s").then().statusCode(202).extract().jsonPath().getString("id");
        awaitDone(other);
        open("scenarios");
        browser.findElement(By.cssSelector("input[aria-label='compare scenario " + id + "']")).click();
        browser.findElement(By.cssSelector("input[aria-label='compare scenario " + other + "']")).click();
        browser.findElement(By.id("compare")).click();
        awaitLoaded("scenarios/compare");
        new WebDriverWait(browser, PATIENCE).until(driver -> driver.findElements(
                By.cssSelector(".chart[data-drawn=true]")).size() == 2);
        assertThat(text("#compare-table")).contains("#" + id, "#" + other, "headroom nvidia-46 x1");
        screenshot("scenario-compare");

        open("scenarios/" + id);
        await(By.cssSelector("form[aria-label='Commit the scenario'] button")).click();
        // the 40 workloads added and the 5 moved off the drained host-00002: a reserve holds every target
        var targets = scenario.getInt("result.plan.creates") + scenario.getInt("result.plan.moves");
        assertThat(await(By.cssSelector("#commit-answer p")).getText()).startsWith("Committed (reserve): " + targets
                + " placements reserved");
        assertThat(given().get("/api/v1/placements?state=reserved").then().extract().jsonPath().getList("$"))
                .hasSize(targets);
    }

    @Test
    void policiesShowTheirWeightsAndAreEditable() {
        open("policies");
        assertThat(browser.findElements(By.cssSelector("#policy-table tbody tr"))).hasSize(5);
        var weight = browser.findElement(By.cssSelector("#edit-spread input[name=moves]"));
        weight.clear();
        weight.sendKeys("12345");
        browser.findElement(By.cssSelector("#edit-spread button[type=submit]")).click();
        new WebDriverWait(browser, PATIENCE).until(driver -> driver.findElement(By.cssSelector("#edit-spread"))
                .getText().contains("Saved spread."));
        assertThat(given().get("/api/v1/policies/spread").then().extract().jsonPath().getInt("weights.moves"))
                .isEqualTo(12345);
        screenshot("policies");
    }

    @Test
    void withoutATokenThePageAsksForOneAndAPlannersTokenShowsPagesButCannotChangePolicies() {
        signIn(null);
        browser.get(root.toString() + "#/fleet");
        awaitLoaded("sign-in");
        assertThat(text("main")).contains("The API needs a bearer token");
        screenshot("sign-in");

        var planner = given().contentType(ContentType.JSON)
                .body(Map.of("name", "dashboard-planner-" + System.nanoTime(), "role", "planner"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath().getString("secret");
        browser.findElement(By.id("token")).sendKeys(planner);
        browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        awaitLoaded("fleet");
        assertThat(browser.findElements(By.cssSelector("#heatmap button.cell"))).isNotEmpty();

        open("policies");
        var weight = browser.findElement(By.cssSelector("#edit-pack input[name=moves]"));
        weight.clear();
        weight.sendKeys("7");
        browser.findElement(By.cssSelector("#edit-pack button[type=submit]")).click();
        new WebDriverWait(browser, PATIENCE).until(driver -> driver.findElement(By.id("error")).isDisplayed());
        assertThat(text("#error")).contains("(role planner) may not PUT /api/v1/policies/pack", "admin");
        assertThat(given().get("/api/v1/policies/pack").then().extract().jsonPath().getInt("weights.moves"))
                .isNotEqualTo(7);

        browser.findElement(By.cssSelector("#session button")).click();
        awaitLoaded("sign-in");
        // the refusals above are logged by the browser as failed loads: expected here, and only those
        var logged = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(logged).allSatisfy(message -> assertThat(message).containsAnyOf("status of 401", "status of 403"));
    }

    @Test
    void theApiAndQuarkusEndpointsStillAnswerBesideTheDashboard() {
        given().get("/").then().statusCode(200).contentType("text/html");
        given().get("/api/v1/status").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/api/v1/hostz").then().statusCode(404).contentType("application/problem+json");
    }

    /**
     * Keeps the token in the dashboard's session storage (null: signed out), as its sign-in form does; set from a page
     * of the same origin that calls no API, so that nothing is asked without it.
     */
    private void signIn(String token) {
        browser.get(root.toString() + "q/health/live");
        ((JavascriptExecutor) browser).executeScript(token == null ? "sessionStorage.removeItem('mdevplan.token')"
                : "sessionStorage.setItem('mdevplan.token', arguments[0])", token);
        // that page's own loads (its /favicon.ico answers 404) are not the dashboard's: drop them from the log
        browser.manage().logs().get(LogType.BROWSER);
    }

    private void open(String route) {
        browser.get(root.toString() + "#/" + route);
        awaitLoaded(route);
    }

    private void awaitLoaded(String route) {
        new WebDriverWait(browser, PATIENCE).until(driver -> {
            var loaded = driver.findElement(By.tagName("main")).getDomAttribute("data-loaded");
            if ("error".equals(loaded) || "sign-in".equals(loaded) && !"sign-in".equals(route)) {
                throw new AssertionError("The page #/" + route + " did not load: " + text("main"));
            }
            return route.split("\\?")[0].equals(loaded);
        });
    }

    private WebElement await(By by) {
        return new WebDriverWait(browser, PATIENCE).until(driver -> driver.findElements(by).stream().findFirst()
                .orElse(null));
    }

    private static void awaitDone(String id) {
        var deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonPath scenario;
        do {
            scenario = given().get("/api/v1/scenarios/" + id).then().extract().jsonPath();
        } while (!"done".equals(scenario.getString("state")) && System.nanoTime() < deadline && pause());
        assertThat(scenario.getString("state")).isEqualTo("done");
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void screenshot(String name) {
        try {
            // the whole page, not only the 900 px of the window, so a reviewer sees everything the page shows
            var height = ((Number) ((JavascriptExecutor) browser).executeScript(
                    "window.scrollTo(0, 0); return document.documentElement.scrollHeight")).intValue();
            browser.manage().window().setSize(new Dimension(1280, Math.min(height, 6000)));
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            browser.manage().window().setSize(new Dimension(1280, 900));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot save the screenshot " + name + " under " + SCREENSHOTS
                    + ". Maybe the target directory is not writable.", e);
        }
    }
}
