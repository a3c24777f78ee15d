package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.testing.PipeFixtures;

/** {@code updateTableMappings}: what it adds to a mapping, and what it refuses to change. */
class ColumnAdditionsTest {

    private static final PipeSpec SPEC = PipeFixtures.spec().withTableMappings(List.of(new TableMapping("shop",
        "orders", "orders", List.of("payment.card"), Map.of(), List.of(new TableMapping.ColumnMapping("total",
        "total", "Float64")), List.of(), "")));

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void aMappingSentBackAsItWasReadWithOneColumnMoreAddsThatColumn() throws Exception {
        List<String> problems = new ArrayList<>();

        Map<String, List<TableMapping.ColumnMapping>> added = PipeRequests.columnAdditions(json("""
            [{"sourceDatabaseName": "shop", "sourceCollection": "orders", "targetTable": "orders",
              "excludeFields": ["payment.card"], "orderBy": [], "partitionBy": "", "engineSettings": {},
              "columns": [{"name": "total", "path": "total", "type": "Float64"},
                          {"name": "customer", "path": "customer.id", "type": "String"}]}]"""), SPEC, problems);

        assertThat(problems).isEmpty();
        assertThat(added).containsExactly(Map.entry("orders", List.of(new TableMapping.ColumnMapping("customer",
            "customer.id", "String"))));
    }

    @Test
    void aFixedFieldThatWouldChangeIsRefusedByName() throws Exception {
        List<String> problems = new ArrayList<>();

        PipeRequests.columnAdditions(json("""
            [{"sourceDatabaseName": "shop", "sourceCollection": "orders", "targetTable": "orders",
              "orderBy": ["total", "_id"], "columns": [{"name": "n", "path": "n", "type": "Int64"}]}]"""), SPEC,
            problems);

        assertThat(problems).singleElement().asString().contains("only columns can be added").contains("orderBy")
            .doesNotContain("targetTable");
    }

    @Test
    void aColumnTheMappingHasWithAnotherTypeIsRefused() throws Exception {
        List<String> problems = new ArrayList<>();

        PipeRequests.columnAdditions(json("""
            [{"sourceDatabaseName": "shop", "sourceCollection": "orders",
              "columns": [{"name": "total", "path": "total", "type": "Int64"}]}]"""), SPEC, problems);

        assertThat(problems).singleElement().asString().contains("column 'total' exists");
    }

    @Test
    void onlyColumnsTheMappingHasAlreadyAddNothingAndAreRefused() throws Exception {
        List<String> problems = new ArrayList<>();

        PipeRequests.columnAdditions(json("""
            [{"sourceDatabaseName": "shop", "sourceCollection": "orders",
              "columns": [{"name": "total", "path": "total", "type": "Float64"}]}]"""), SPEC, problems);

        assertThat(problems).singleElement().asString().contains("give a new one");
    }
}
