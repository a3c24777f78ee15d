package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.MixedWorkload;
import dev.ferry.controller.api.ApiAccess;
import dev.ferry.controller.console.Browser;
import dev.ferry.controller.console.BrowserExtension;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * The console in a real browser (the operating system's Chromium), against a controller that asks for a token, the
 * MongoDB test server and ClickHouse. Each test leaves a screenshot of its page in target/screenshots/ and fails
 * when the page's scripts logged an error.
 */
@ExtendWith({ClickHouseExtension.class, BrowserExtension.class})
class ConsoleIT {

    private static final String TOKEN = "console-token-for-tests";

    @TempDir
    static Path dataDirectory;
    static ReplicaSetEmulator emulator;
    static MongoClient mongo;
    static Controller controller;
    static RestApi api;
    /** A Running pipe the tests that only look share: shared.orders into ClickHouse's database of that name. */
    static String shared;
    static String sharedDb;

    private final Browser browser;

    ConsoleIT(Browser browser) {
        this.browser = browser;
    }

    @BeforeAll
    static void startEverything(ClickHouseServer clickHouse) throws Exception {
        emulator = ReplicaSetEmulator.start();
        mongo = MongoClients.create(emulator.connectionString());
        controller = Controller.start(new Controller.Settings(0, ApiAccess.of("127.0.0.1", Optional.of(TOKEN)),
            dataDirectory, TestControllers.freePort(), TestControllers.FLINK_CONF,
            ControllerMain.jobJar(TestControllers.HOME), 200, null, null, AlertSettings.NONE, SyncLogSettings.DEFAULT));
        api = new RestApi(controller.url(), TOKEN);
        sharedDb = database("shared");
        MixedWorkload.insertInitial(mongo.getDatabase(sharedDb).getCollection("orders"), 1_000);
        shared = Pipes.create(api, Pipes.request(sharedDb, emulator.connectionString(), clickHouse.url(), sharedDb,
            sharedDb, "orders", "{\"syncIntervalSeconds\": 1}"));
        Pipes.awaitState(api, shared, "Running");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        controller.close();
        mongo.close();
        emulator.close();
    }

    /** Every test starts signed in, on the pipes page, in a window of the usual size. */
    @BeforeEach
    void signIn() {
        browser.resize(1400, 1000);
        browser.open(controller.url() + "/");
        browser.newSession();
        browser.visible("#token-dialog");
        browser.find("#token-input").sendKeys(TOKEN, Keys.ENTER);
        browser.visible("#pipes");
    }

    @AfterEach
    void screenshotAndNoScriptErrors(TestInfo test) {
        browser.screenshot(test.getTestMethod().orElseThrow().getName());
        assertThat(browser.errors()).as("errors the page's scripts logged").isEmpty();
    }

    private static String database(String prefix) {
        return "console_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void openPipe(String id) {
        browser.open(controller.url() + "/#/pipes/" + id);
        browser.visible("#pipe-header h1");
    }

    private static long number(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }

    @Test
    void thePipesPageShowsANewPipeAndItsStateUntilItIsRunning(ClickHouseServer clickHouse) throws Exception {
        String db = database("list");
        // a collection slow to read (50 ms a batch of 200 documents: about five seconds) keeps the pipe in
        // Snapshot long enough for the page, which refreshes every two seconds, to show it
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder().readLatency(db + ".orders", Duration.ofMillis(50))
                 .start();
             MongoClient client = MongoClients.create(slow.connectionString())) {
            MixedWorkload.insertInitial(client.getDatabase(db).getCollection("orders"), 20_000);
            String id = Pipes.create(api, Pipes.request(db, slow.connectionString(), clickHouse.url(), db, db,
                "orders", "{\"syncIntervalSeconds\": 1}"));
            String badge = "tr[data-pipe='" + db + "'] .badge";

            List<String> shown = new ArrayList<>();
            browser.await(page -> {
                String state = browser.findAll(badge).stream().findFirst().map(WebElement::getText).orElse("");
                if (!state.isEmpty() && (shown.isEmpty() || !shown.get(shown.size() - 1).equals(state))) {
                    shown.add(state);
                }
                return state.equals("Running");
            });

            assertThat(shown).containsSubsequence("Snapshot", "Running");
            assertThat(browser.find("tr[data-pipe='" + db + "'] td.reason").getText())
                .isEqualTo(api.get("/v1/pipes/" + id).body().get("stateReason").asText());
            api.delete("/v1/pipes/" + id);
        }
    }

    @Test
    void thePipesPageFiltersByNameAndState() {
        browser.find("#filter-name").sendKeys(sharedDb);
        assertThat(browser.findAll("#pipes tbody tr[data-pipe]")).extracting(row -> row.getAttribute("data-pipe"))
            .containsExactly(sharedDb);

        new Select(browser.find("#filter-state")).selectByValue("Paused");
        assertThat(browser.findAll("#pipes tbody tr[data-pipe]")).isEmpty();
        assertThat(browser.find("#pipes tbody").getText()).contains("No pipe matches");
    }

    @Test
    void aPipePageShowsItsTablesWithCountsThatMoveWhileWritesGoOnAndAChartWithPoints() {
        MongoCollection<Document> orders = mongo.getDatabase(sharedDb).getCollection("orders");
        openPipe(shared);
        String inserts = "tr[data-table='orders'] td[data-count='inserts']";
        browser.textMatching(inserts, "[0-9,.\\s]+");

        for (int round = 0; round < 2; round++) {
            long before = number(browser.find(inserts).getText());
            for (int i = 0; i < 25; i++) {
                orders.insertOne(new Document("_id", "round-" + round + "-" + i).append("qty", i));
            }
            browser.await(page -> number(browser.find(inserts).getText()) >= before + 25);
        }

        long shownInserts = number(browser.find(inserts).getText());
        assertThat(shownInserts).isEqualTo(api.get("/v1/pipes/" + shared + "/tables").body().get(0).at("/cdc/inserts")
            .asLong());
        browser.await(page -> Integer.parseInt(Optional.ofNullable(browser.find("#rows-chart")
            .getAttribute("data-intervals-with-rows")).orElse("0")) > 0);
        assertThat(browser.script("return Chart.getChart(document.getElementById('rows-chart')) !== undefined "
            + "&& Chart.getChart(document.getElementById('lag-chart')) !== undefined")).isEqualTo(true);
        assertThat(browser.find("tr[data-table='orders'] .status").getText()).isEqualTo("done");
    }

    @Test
    void pauseAndResumeThroughTheButtonsEndPausedAndRunning(ClickHouseServer clickHouse) {
        String db = database("pause");
        MixedWorkload.insertInitial(mongo.getDatabase(db).getCollection("orders"), 200);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            "orders", "{\"syncIntervalSeconds\": 1}"));
        Pipes.awaitState(api, id, "Running");
        openPipe(id);

        browser.await(page -> browser.find("#action-pause").isEnabled());
        browser.find("#action-pause").click();
        Pipes.awaitState(api, id, "Paused");
        browser.textMatching("#pipe-header .badge", "Paused");

        browser.await(page -> browser.find("#action-resume").isEnabled());
        browser.find("#action-resume").click();
        Pipes.awaitState(api, id, "Running");
        browser.textMatching("#pipe-header .badge", "Running");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aPipeCreatedThroughTheNewPipeFormReplicates(ClickHouseServer clickHouse) {
        String db = database("form");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 300);
        browser.find("#new-pipe").click();
        browser.visible("#new-pipe-form");

        browser.find("#pipe-name").sendKeys(db);
        browser.find("#source-uri").sendKeys(emulator.connectionString());
        browser.find("#check-source").click();
        String row = "li.collection[data-database='" + db + "'][data-collection='orders']";
        assertThat(browser.visible(row).getText()).contains("about 300 documents");
        browser.find(row + " .pick").click();
        WebElement target = browser.find(row + " .target");
        target.clear();
        target.sendKeys("orders_copy");
        browser.find("#destination-url").sendKeys(clickHouse.url());
        browser.find("#destination-database").sendKeys(db);
        WebElement interval = browser.find("#setting-syncIntervalSeconds");
        interval.clear();
        interval.sendKeys("1");
        browser.find("#create-pipe").click();

        browser.await(page -> page.getCurrentUrl().contains("#/pipes/"));
        String id = browser.driver().getCurrentUrl().replaceAll(".*#/pipes/", "");
        browser.textMatching("#pipe-header .badge", "Running");
        new MixedWorkload(orders, 7, 300).run(60);
        Pipes.awaitEqual(clickHouse, db, "orders_copy", orders);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void theNewPipeFormShowsTheApisRefusalNextToTheFieldItConcerns(ClickHouseServer clickHouse) {
        String db = database("refused");
        mongo.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        browser.open(controller.url() + "/#/new");
        browser.find("#pipe-name").sendKeys("not a valid name!");
        browser.find("#source-uri").sendKeys(emulator.connectionString());
        browser.find("#check-source").click();
        browser.visible("li.collection[data-database='" + db + "'] .pick").click();
        browser.find("#destination-url").sendKeys(clickHouse.url());
        browser.find("#destination-database").sendKeys(db);
        browser.find("#create-pipe").click();

        WebElement error = browser.visible("#pipe-name + .field-error");
        JsonNode refusal = api.post("/v1/pipes", Pipes.request("not a valid name!", emulator.connectionString(),
            clickHouse.url(), db, db, "orders", "{}")).body();
        assertThat(error.getText()).isEqualTo(refusal.at("/error/problems/0/message").asText());
        assertThat(browser.find("#pipe-name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(api.get("/v1/pipes").body()).extracting(pipe -> pipe.get("name").asText())
            .doesNotContain("not a valid name!");
    }

    @Test
    void anActionTheStateDoesNotAllowIsDisabledWithTheReasonTheApiGives() {
        openPipe(shared);

        WebElement resume = browser.find("#action-resume");
        assertThat(resume.isEnabled()).isFalse();
        RestApi.Reply refused = api.patch("/v1/pipes/" + shared + "/state", "{\"action\": \"resume\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(resume.getAttribute("title")).isEqualTo(refused.body().at("/error/message").asText());
        browser.find("#refusals summary").click();
        assertThat(browser.find("#refusals").getText()).contains(refused.body().at("/error/message").asText());
    }

    @Test
    void aRefusedSettingIsShownNextToItsFieldAndChangesNothing() {
        openPipe(shared);
        WebElement interval = browser.visible("#setting-syncIntervalSeconds");
        interval.clear();
        interval.sendKeys("0");
        browser.find("#save-settings").click();

        WebElement error = browser.visible("#setting-syncIntervalSeconds + .field-error");
        RestApi.Reply refused = api.put("/v1/pipes/" + shared + "/settings", "{\"syncIntervalSeconds\": 0}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(error.getText()).isEqualTo(refused.body().at("/error/problems/0/message").asText());
        assertThat(api.get("/v1/pipes/" + shared).body().at("/settings/syncIntervalSeconds").asInt()).isEqualTo(1);
    }

    @Test
    void withATokenTheConsoleAsksForItUntilGivenAndKeepsItForTheTab() {
        browser.newSession();
        browser.visible("#token-dialog");
        browser.find("#token-input").sendKeys("not-the-token", Keys.ENTER);
        browser.textMatching("#token-reason", ".*refused.*");

        browser.find("#token-input").sendKeys(TOKEN, Keys.ENTER);
        browser.textMatching("#pipes tbody", ".*" + sharedDb + ".*");
        browser.open(controller.url() + "/#/pipes/" + shared);
        browser.visible("#pipe-header h1");
        assertThat(browser.find("#token-dialog").isDisplayed()).isFalse();
    }

    @Test
    void thePipesPageFitsANarrowWindow() {
        browser.resize(400, 900);
        browser.textMatching("#pipes tbody", ".*" + sharedDb + ".*");

        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
            .as("no sideways scrolling of the page; wide tables scroll in their own box").isEqualTo(true);
    }
}
