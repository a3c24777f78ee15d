package dev.ferry.controller.connect;

import java.util.List;
import java.util.Map;

import dev.ferry.controller.pipe.TableMapping;

/**
 * A pipe's source deployment: what the controller asks of it. Every method throws a {@link SourceException} when
 * the deployment does not do it.
 */
public interface Source {

    /**
     * Checks that the deployment can be replicated from and has every collection of {@code mappings}; with
     * {@code postImages}, also that it keeps post-images of their changes (MongoDB 6.0+).
     */
    void check(List<TableMapping> mappings, boolean postImages);

    /** The cluster time a new change stream starts from: just after the deployment's current operation time. */
    long startPosition();

    /** Per target table, its collection's estimated document count. */
    Map<String, Long> estimatedCounts(List<TableMapping> mappings);

    /**
     * The deployment's databases (its own, {@code admin}, {@code config} and {@code local}, left out) and their
     * collections with their estimated document counts, by name; the views and system collections left out.
     */
    List<Database> databases();

    /** A database of the deployment and its collections. */
    record Database(String name, List<Collection> collections) {

        public Database {
            collections = List.copyOf(collections);
        }
    }

    /** A collection and its estimated document count. */
    record Collection(String name, long estimatedDocuments) {
    }
}
