package dev.ferry.controller.verify;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoClient;

import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.MongoSource;
import dev.ferry.controller.pipe.ConflictException;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeNotFoundException;
import dev.ferry.controller.pipe.TableMapping;

/**
 * Compares a pipe's collections with its tables ({@code GET /v1/pipes/{id}/verify}, {@code bin/ferry verify}),
 * one verification per pipe at a time, with its progress readable while it runs. The two sides are read one
 * after the other, so writes meanwhile can show as differences: verify a quiet or paused pipe for an exact answer.
 */
public final class Verifier {

    private final Map<String, VerifyProgress> running = new ConcurrentHashMap<>();
    private final Connections connections;

    public Verifier(Connections connections) {
        this.connections = connections;
    }

    public VerifyReport verify(Pipe pipe, Optional<String> table) {
        List<TableMapping> mappings = pipe.spec().tableMappings().stream()
            .filter(mapping -> table.isEmpty() || mapping.targetTable().equals(table.get()))
            .toList();
        if (mappings.isEmpty()) {
            throw new PipeNotFoundException("pipe '" + pipe.name() + "' has no table '" + table.orElse("")
                + "'; GET /v1/pipes/" + pipe.id() + "/tables lists its tables");
        }
        VerifyProgress progress = new VerifyProgress(mappings.stream().map(TableMapping::targetTable)
            .toList());
        if (running.putIfAbsent(pipe.id(), progress) != null) {
            throw new ConflictException("pipe '" + pipe.name() + "' is being verified already; GET /v1/pipes/"
                + pipe.id() + "/verify/progress shows how far it is");
        }
        try (MongoClient mongo = new MongoSource(pipe.spec().source()).connect()) {
            TableVerifier verifier = new TableVerifier(connections.destination(pipe.spec().destination()), mongo);
            List<VerifyReport.Table> tables = mappings.stream().map(mapping -> verifier.verify(mapping,
                pipe.spec().settings().keepsDeletes(), progress))
                .toList();
            return new VerifyReport(pipe.name(), tables.stream().allMatch(VerifyReport.Table::equal), tables);
        } finally {
            running.remove(pipe.id());
        }
    }

    /** The progress of the pipe's running verification, if one runs. */
    public Optional<VerifyProgress> progress(String pipeId) {
        return Optional.ofNullable(running.get(pipeId));
    }
}
