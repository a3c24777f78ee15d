package dev.ferry.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class SyncViewTest {

    @Test
    void eachTableOfEachSyncIsALineNewestSyncFirstWithAShortSyncId() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncView.print(new ObjectMapper().readTree("""
            [{"syncId": "0123456789abcdef0123456789abcdef-42", "committedAt": "2026-12-07T10:00:02Z",
              "durationMs": 31, "bytes": 2048, "tables": [
                {"targetTable": "items", "snapshot": 0, "inserts": 3, "updates": 1, "replaces": 0, "deletes": 2,
                 "mismatches": 0},
                {"targetTable": "orders", "snapshot": 0, "inserts": 9, "updates": 0, "replaces": 1, "deletes": 0,
                 "mismatches": 4}]},
             {"syncId": "0123456789abcdef0123456789abcdef-41", "committedAt": "2026-12-07T10:00:01Z",
              "durationMs": 80, "bytes": 90000, "tables": [
                {"targetTable": "orders", "snapshot": 1000, "inserts": 0, "updates": 0, "replaces": 0,
                 "deletes": 0, "mismatches": 0}]}]"""), new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("COMMITTED AT").contains("SYNC").contains("MISMATCHES");
        assertThat(lines.get(1)).startsWith("2026-12-07T10:00:02Z").contains("01234567-42").contains("items")
            .containsPattern("\\s3\\s+1\\s+0\\s+2\\s+0$");
        assertThat(lines.get(2)).contains("orders").endsWith("4");
        assertThat(lines.get(3)).contains("01234567-41").containsPattern("\\s1000\\s");
    }
}
