package dev.ferry.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TableViewTest {

    private static String printed(String tables) throws Exception {
        JsonNode json = new ObjectMapper().readTree(tables);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TableView.print(json, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTableWithTypedColumnsShowsItsMismatchesAndOneWithoutShowsADash() throws Exception {
        String text = printed("""
            [{"targetTable": "orders", "snapshot": {"status": "done", "rowsLoaded": 5, "rowsEstimated": 5},
              "cdc": {"inserts": 1, "updates": 2, "replaces": 0, "deletes": 0, "lastSyncedAt": null},
              "columns": {"mismatches": 17, "exampleId": "5"}},
             {"targetTable": "items", "snapshot": {"status": "done", "rowsLoaded": 1, "rowsEstimated": 1},
              "cdc": {"inserts": 0, "updates": 0, "replaces": 0, "deletes": 0, "lastSyncedAt": null},
              "columns": null}]""");

        assertThat(text.lines().toList().get(0)).contains("MISMATCHES");
        assertThat(text.lines().toList().get(1)).startsWith("orders").containsPattern("\\s17\\s+-$");
        assertThat(text.lines().toList().get(2)).startsWith("items").containsPattern("\\s-\\s+-$");
    }

    @Test
    void countsTheControllerHasNotReadYetShowAsQuestionMarks() throws Exception {
        String text = printed("""
            [{"targetTable": "orders", "snapshot": {"status": "done", "rowsLoaded": null, "rowsEstimated": 5},
              "cdc": null, "columns": null}]""");

        assertThat(text.lines().toList().get(1)).startsWith("orders").contains("?/5").containsPattern("\\?\\s+\\?");
    }
}
