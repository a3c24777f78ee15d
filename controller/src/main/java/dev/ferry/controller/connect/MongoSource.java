package dev.ferry.controller.connect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.common.mongo.MongoUris;
import dev.ferry.common.mongo.StartPosition;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.TableMapping;

/**
 * A pipe's source deployment, reached with short timeouts: each call opens a client and closes it, so that an
 * unreachable deployment costs seconds, never a stuck thread.
 */
public final class MongoSource implements Source {

    /** The deployment's own databases, which a pipe does not replicate. */
    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "config", "local");

    private final SourceSpec source;

    public MongoSource(SourceSpec source) {
        this.source = source;
    }

    /** The connection string, with the spec's read preference and credentials, the password resolved here. */
    public static String effectiveUri(SourceSpec source) {
        return MongoUris.effective(source.uri(), source.readPreference(), source.credentials().username(),
            source.credentials().password().resolve());
    }

    /** A client with short timeouts; the caller closes it. */
    public MongoClient connect() {
        return connect(source);
    }

    /** A client of {@code source} with short timeouts; the caller closes it. */
    static MongoClient connect(SourceSpec source) {
        return MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(effectiveUri(source)))
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
            .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS))
            .build());
    }

    private String hosts() {
        return hosts(source);
    }

    /** The deployment's hosts, as errors name them. */
    static String hosts(SourceSpec source) {
        return String.join(",", new ConnectionString(effectiveUri(source)).getHosts());
    }

    @Override
    public void check(List<TableMapping> mappings, boolean postImages) {
        String hosts = hosts();
        try (MongoClient client = connect()) {
            Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
            boolean replicaSet = hello.getString("setName") != null;
            boolean sharded = "isdbgrid".equals(hello.getString("msg"));
            if (!replicaSet && !sharded) {
                throw new SourceException(SourceException.Problem.NOT_REPLICATED, "MongoDB at " + hosts + " is a "
                    + "standalone server; change streams need a replica set or a sharded cluster (a single-member "
                    + "replica set will do).");
            }
            List<Integer> version = client.getDatabase("admin").runCommand(new Document("buildInfo", 1))
                .getList("versionArray", Integer.class);
            if (version != null && (version.get(0) < 4 || (version.get(0) == 4 && version.get(1) < 4))) {
                throw new SourceException(SourceException.Problem.TOO_OLD, "MongoDB at " + hosts + " is version "
                    + version.get(0) + "." + version.get(1) + "; ferry needs 4.4 or newer.");
            }
            for (int i = 0; i < mappings.size(); i++) {
                TableMapping mapping = mappings.get(i);
                List<String> collections = client.getDatabase(mapping.sourceDatabaseName()).listCollectionNames()
                    .into(new ArrayList<>());
                if (!collections.contains(mapping.sourceCollection())) {
                    throw new SourceException(SourceException.Problem.COLLECTION_MISSING, "tableMappings[" + i
                        + "]: collection " + mapping.namespace() + " does not exist in MongoDB at " + hosts
                        + "; check sourceDatabaseName and sourceCollection");
                }
            }
            if (postImages) {
                requirePostImages(client, version, mappings, hosts);
            }
        } catch (MongoException e) {
            throw SourceException.of(e, hosts, "checking the deployment");
        }
    }

    /** Post-images need MongoDB 6.0 and {@code changeStreamPreAndPostImages} on every mapped collection. */
    private static void requirePostImages(MongoClient client, List<Integer> version, List<TableMapping> mappings,
                                          String hosts) {
        if (version != null && version.get(0) < 6) {
            throw new SourceException(SourceException.Problem.POST_IMAGES_OFF, "settings.fullDocument postImage "
                + "needs MongoDB 6.0 or newer, and MongoDB at " + hosts + " is version " + version.get(0) + "."
                + version.get(1) + "; use fullDocument: updateLookup");
        }
        List<String> lacking = new ArrayList<>();
        for (TableMapping mapping : mappings) {
            Document collection = client.getDatabase(mapping.sourceDatabaseName()).listCollections()
                .filter(new Document("name", mapping.sourceCollection())).first();
            Document options = collection == null ? null : collection.get("options", Document.class);
            Document images = options == null ? null : options.get("changeStreamPreAndPostImages", Document.class);
            if (images == null || !Boolean.TRUE.equals(images.getBoolean("enabled"))) {
                lacking.add(mapping.namespace());
            }
        }
        if (!lacking.isEmpty()) {
            throw new SourceException(SourceException.Problem.POST_IMAGES_OFF, "settings.fullDocument postImage "
                + "needs changeStreamPreAndPostImages on every mapped collection, and " + String.join(", ", lacking)
                + (lacking.size() == 1 ? " does" : " do") + " not keep post-images; enable them with "
                + "db.runCommand({collMod: \"<collection>\", changeStreamPreAndPostImages: {enabled: true}}), or use "
                + "fullDocument: updateLookup");
        }
    }

    @Override
    public long startPosition() {
        try (MongoClient client = connect()) {
            return StartPosition.capture(client).getValue();
        } catch (MongoException e) {
            throw SourceException.of(e, hosts(), "capturing the change stream's start");
        }
    }

    @Override
    public Map<String, Long> estimatedCounts(List<TableMapping> mappings) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (MongoClient client = connect()) {
            for (TableMapping mapping : mappings) {
                counts.put(mapping.targetTable(), client.getDatabase(mapping.sourceDatabaseName())
                    .getCollection(mapping.sourceCollection()).estimatedDocumentCount());
            }
        } catch (MongoException e) {
            throw SourceException.of(e, hosts(), "counting the collections");
        }
        return counts;
    }

    @Override
    public List<Database> databases() {
        List<Database> databases = new ArrayList<>();
        try (MongoClient client = connect()) {
            for (String name : client.listDatabaseNames().into(new ArrayList<>()).stream().sorted().toList()) {
                if (SYSTEM_DATABASES.contains(name)) {
                    continue;
                }
                List<Collection> collections = new ArrayList<>();
                for (Document collection : client.getDatabase(name).listCollections()
                    .filter(new Document("type", "collection"))) {
                    String collectionName = collection.getString("name");
                    if (collectionName.startsWith("system.")) {
                        continue;
                    }
                    collections.add(new Collection(collectionName, client.getDatabase(name)
                        .getCollection(collectionName).estimatedDocumentCount()));
                }
                collections.sort(Comparator.comparing(Collection::name));
                databases.add(new Database(name, collections));
            }
        } catch (MongoException e) {
            throw SourceException.of(e, hosts(), "listing the databases and collections");
        }
        return databases;
    }
}
