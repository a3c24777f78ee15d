package dev.ferry.controller.api;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.TableProgress;
import dev.ferry.controller.pipe.Transition;

/** The JSON the API answers with. Secrets never appear: passwords are masked, in credentials and in URIs. */
public final class PipeViews {

    static final String MASK = "******";

    private final ObjectMapper json;

    public PipeViews(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode pipe(Pipe pipe, String dashboardUrl) {
        PipeRequest request = pipe.request();
        ObjectNode view = json.createObjectNode();
        view.put("id", pipe.id());
        view.put("name", request.name());
        view.put("state", pipe.status().state().label());
        view.put("stateReason", pipe.status().stateReason());
        view.put("createdAt", pipe.createdAt().toString());
        view.put("updatedAt", pipe.updatedAt().toString());
        view.put("flinkJobId", pipe.status().flinkJobId());
        view.put("dashboardUrl", dashboardUrl);
        ObjectNode mongodb = view.putObject("source").putObject("mongodb");
        mongodb.put("uri", maskUri(request.source().uri()));
        if (request.source().readPreference() != null) {
            mongodb.put("readPreference", request.source().readPreference());
        }
        credentials(mongodb, request.source().credentials());
        ObjectNode clickhouse = view.putObject("destination").putObject("clickhouse");
        clickhouse.put("url", request.destination().url());
        clickhouse.put("database", request.destination().database());
        credentials(clickhouse, request.destination().credentials());
        ArrayNode mappings = view.putArray("tableMappings");
        for (PipeRequest.TableMapping mapping : request.tableMappings()) {
            mappings.addObject().put("sourceDatabaseName", mapping.sourceDatabaseName())
                .put("sourceCollection", mapping.sourceCollection())
                .put("targetTable", mapping.targetTable());
        }
        view.set("settings", json.valueToTree(request.settings()));
        return view;
    }

    public ArrayNode tables(List<TableProgress> tables) {
        return json.valueToTree(tables);
    }

    public ArrayNode history(List<Transition> transitions) {
        ArrayNode view = json.createArrayNode();
        for (Transition transition : transitions) {
            view.addObject()
                .put("from", transition.from() == null ? null : transition.from().label())
                .put("to", transition.to().label())
                .put("at", transition.at().toString())
                .put("reason", transition.reason());
        }
        return view;
    }

    public ObjectNode error(ApiException error) {
        ObjectNode view = json.createObjectNode();
        view.putObject("error").put("code", error.code()).put("message", error.getMessage());
        return view;
    }

    private static void credentials(ObjectNode parent, PipeRequest.Credentials credentials) {
        if (credentials != null && credentials.isPresent()) {
            parent.putObject("credentials").put("username", credentials.username()).put("password", MASK);
        }
    }

    /** {@code mongodb://user:secret@host} becomes {@code mongodb://user:******@host}. */
    static String maskUri(String uri) {
        return uri.replaceAll("(://[^:@/]*):[^@/]*@", "$1:" + MASK + "@");
    }
}
