package io.mdevplan.web.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium and its chromedriver for the dashboard's browser tests: installed with apt-get when
 * missing and the tests run as root (as CI does), else the tests are skipped with the reason.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** A headless Chromium at 1280 x 900, its console kept for the test to read. */
    static ChromeDriver start() {
        ensureInstalled();
        var options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // as root Chromium runs only without its sandbox; the pages it opens are the service's own
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    private static void ensureInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        var root = "root".equals(System.getProperty("user.name"));
        var apt = Files.isExecutable(Path.of("/usr/bin/apt-get"));
        Assumptions.assumeTrue(root && apt, "SKIPPED: the dashboard's browser tests need " + BROWSER + " and " + DRIVER
                + ", which only root can install with apt-get (root: " + root + ", apt-get: " + apt + "). Maybe run"
                + " apt-get install -y chromium chromium-driver as root, then the tests again.");
        if (!aptGet(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"))) {
            aptGet(List.of("apt-get", "update"));
            aptGet(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
        }
        Assumptions.assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER), "SKIPPED: apt-get could not"
                + " install chromium and chromium-driver (see target/chromium-apt.log). Maybe the machine has no"
                + " access to a Debian mirror; install them by hand, then run the tests again.");
    }

    private static boolean aptGet(List<String> command) {
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "chromium-apt.log").toFile()));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            var process = builder.start();
            process.getOutputStream().close();
            return process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
