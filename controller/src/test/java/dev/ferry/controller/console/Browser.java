package dev.ferry.controller.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operating system's Chromium, headless, driven by its chromedriver (both from the distribution's packages,
 * which bin/test installs): one browser for all the console's tests of a JVM, each test on a fresh page.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("ferry.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("ferry.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** What the browser logs when the API refuses a request: the page shows the refusal, so it is no error. */
    private static final Pattern REFUSAL = Pattern.compile(".*Failed to load resource: the server responded with a "
        + "status of 4\\d\\d.*");
    private static final Duration WAIT = Duration.ofSeconds(120);
    static final int WIDTH = 1400;
    static final int HEIGHT = 1000;

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts Chromium; fails with what to install when it or its driver is missing. */
    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console's tests need Chromium and its driver (" + CHROMIUM + ", "
                + CHROMEDRIVER + "): bin/test installs them (apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in a container has no sandbox; no GPU, no first-run chores, nothing fetched in the background
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        Browser browser = new Browser(driver);
        browser.resize(WIDTH, HEIGHT);
        return browser;
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens {@code url}: a new page in the same tab, whose storage (the token) stays. */
    public void open(String url) {
        driver.get(url);
    }

    /** Forgets what the tab keeps (the token), as a new tab would, and loads the page again. */
    public void newSession() {
        script("sessionStorage.clear()");
        driver.navigate().refresh();
    }

    /** Sets the window's size; {@link #WIDTH} by {@link #HEIGHT} unless a test asks for another. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until {@code condition} answers something other than null or false; answers it. */
    public <T> T await(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, WAIT).pollingEvery(Duration.ofMillis(200)).until(condition);
    }

    /** Waits for the element {@code css} to exist and be visible. */
    public WebElement visible(String css) {
        return await(page -> {
            List<WebElement> found = page.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    /** Waits until the text of {@code css} matches {@code pattern}; answers it. */
    public String textMatching(String css, String pattern) {
        Pattern wanted = Pattern.compile(pattern, Pattern.DOTALL);
        return await(page -> {
            for (WebElement element : page.findElements(By.cssSelector(css))) {
                try {
                    String text = element.getText();
                    if (wanted.matcher(text).matches()) {
                        return text;
                    }
                } catch (StaleElementReferenceException replaced) {
                    // the page re-rendered it; the next poll reads the new one
                }
            }
            return null;
        });
    }

    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Saves what the page shows as {@code target/screenshots/<name>.png}; answers the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the page's scripts reported as errors since the last call (the console's log at level SEVERE),
     * without the API's refusals that the page shows to the user.
     */
    public List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(message -> !REFUSAL.matcher(message).matches())
            .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
