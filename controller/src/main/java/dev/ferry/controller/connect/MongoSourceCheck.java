package dev.ferry.controller.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.controller.api.ApiException;
import dev.ferry.controller.pipe.PipeRequest;

/**
 * Checks a pipe's source before anything is created: MongoDB answers, is a replica set or sharded cluster of
 * version 4.4 or newer, and has every mapped collection.
 */
public final class MongoSourceCheck {

    private MongoSourceCheck() {
    }

    /**
     * The connection string the job uses: the user's, with the request's credentials and read preference in it
     * when given (they override what the URI says).
     */
    public static String effectiveUri(PipeRequest.Source source) {
        return withCredentials(withReadPreference(source.uri(), source.readPreference()), source);
    }

    private static String withReadPreference(String uri, String readPreference) {
        if (readPreference == null) {
            return uri;
        }
        String withoutOld = uri.replaceAll("([?&])readPreference=[^&]*&?", "$1").replaceAll("[?&]$", "");
        int slashAfterHosts = withoutOld.indexOf('/', withoutOld.indexOf("://") + 3);
        String base = slashAfterHosts < 0 ? withoutOld + "/" : withoutOld;
        return base + (base.contains("?") ? "&" : "?") + "readPreference=" + encode(readPreference);
    }

    private static String withCredentials(String uri, PipeRequest.Source source) {
        if (source.credentials() == null || !source.credentials().isPresent()) {
            return uri;
        }
        int schemeEnd = uri.indexOf("://") + 3;
        String rest = uri.substring(schemeEnd);
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            rest = rest.substring(at + 1);
        }
        return uri.substring(0, schemeEnd) + encode(source.credentials().username()) + ":"
            + encode(source.credentials().password()) + "@" + rest;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static MongoClient connect(String uri) {
        return MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
            .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS))
            .build());
    }

    /** Checks the source and every mapped collection. */
    public static void check(PipeRequest request) {
        check(request.source(), request.tableMappings());
    }

    /**
     * Checks the source and the given mappings' collections. Their sizes are not counted here: setup counts them
     * when the snapshot starts, which is the count progress is measured against.
     */
    public static void check(PipeRequest.Source source, List<PipeRequest.TableMapping> mappings) {
        String uri = effectiveUri(source);
        String hosts = String.join(",", new ConnectionString(uri).getHosts());
        try (MongoClient client = connect(uri)) {
            Document hello;
            try {
                hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
            } catch (MongoException e) {
                throw ApiException.unprocessable("mongodb_unreachable", "cannot reach MongoDB at " + hosts + ": "
                    + firstLine(e) + ". Check source.mongodb.uri and credentials, and that the server is up.");
            }
            boolean replicaSet = hello.getString("setName") != null;
            boolean sharded = "isdbgrid".equals(hello.getString("msg"));
            if (!replicaSet && !sharded) {
                throw ApiException.unprocessable("mongodb_not_replicated", "MongoDB at " + hosts + " is a "
                    + "standalone server; change streams need a replica set or a sharded cluster (a single-member "
                    + "replica set will do).");
            }
            List<Integer> version = client.getDatabase("admin").runCommand(new Document("buildInfo", 1))
                .getList("versionArray", Integer.class);
            if (version != null && (version.get(0) < 4 || (version.get(0) == 4 && version.get(1) < 4))) {
                throw ApiException.unprocessable("mongodb_too_old", "MongoDB at " + hosts + " is version "
                    + version.get(0) + "." + version.get(1) + "; ferry needs 4.4 or newer.");
            }
            for (int i = 0; i < mappings.size(); i++) {
                PipeRequest.TableMapping mapping = mappings.get(i);
                List<String> collections = client.getDatabase(mapping.sourceDatabaseName()).listCollectionNames()
                    .into(new java.util.ArrayList<>());
                if (!collections.contains(mapping.sourceCollection())) {
                    throw ApiException.unprocessable("collection_not_found", "tableMappings[" + i + "]: collection "
                        + mapping.namespace() + " does not exist in MongoDB at " + hosts
                        + "; check sourceDatabaseName and sourceCollection");
                }
            }
        } catch (MongoException e) {
            throw ApiException.unprocessable("mongodb_error", "MongoDB at " + hosts + " refused a check: "
                + firstLine(e));
        }
    }

    /** What went wrong in words, without the driver's internals (and never a password). */
    private static String firstLine(MongoException e) {
        if (e instanceof MongoTimeoutException) {
            return "no server answered within 5 seconds";
        }
        if (e instanceof MongoSecurityException) {
            return "authentication failed";
        }
        String message = e.getMessage() == null ? "error " + e.getCode() : e.getMessage();
        return PipeRequestSecrets.redact(message.lines().findFirst().orElse(message));
    }
}
