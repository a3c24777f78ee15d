package dev.ferry.controller.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeError;
import dev.ferry.controller.pipe.PipeErrors;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.Problem;
import dev.ferry.controller.pipe.Transition;

/**
 * The durable pipe catalog: an embedded H2 database file in the controller's data directory, written in
 * transactions, so that it survives restarts and crashes. Each pipe's spec and status are stored apart, with the
 * state derived from them; every change of that state goes into the history, and every problem the pipe has and
 * gets over into its errors ({@link PipeErrors}). The data directory is locked while the catalog is open: a second
 * controller on the same directory is refused.
 */
public final class PipeCatalog implements AutoCloseable {

    private static final String COLUMNS = "id, spec, status, state, state_reason, problem, created_at, updated_at";

    private final DataDirectoryLock lock;
    private final Connection connection;
    private final SecretSeal seal;
    private final List<TransitionListener> listeners = new CopyOnWriteArrayList<>();
    private final ObjectMapper json;
    private final Clock clock;

    private PipeCatalog(DataDirectoryLock lock, Connection connection, SecretSeal seal, ObjectMapper json,
                        Clock clock) {
        this.lock = lock;
        this.seal = seal;
        this.connection = connection;
        this.json = json;
        this.clock = clock;
    }

    public static PipeCatalog open(Path dataDirectory, ObjectMapper json, Clock clock) {
        // WRITE_DELAY=0: every commit is on disk before the API answers, so a controller killed right after a 202
        // still knows what it accepted (H2 otherwise flushes commits up to half a second later)
        String url = "jdbc:h2:file:" + dataDirectory.resolve("catalog").toAbsolutePath()
            + ";FILE_LOCK=FILE;WRITE_DELAY=0";
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(url, "ferry", "");
            try (Statement ddl = connection.createStatement()) {
                requireCurrentFormat(ddl, dataDirectory);
                ddl.execute("CREATE TABLE IF NOT EXISTS pipes (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64) UNIQUE "
                    + "NOT NULL, spec CLOB NOT NULL, status CLOB NOT NULL, state VARCHAR(32) NOT NULL, "
                    + "state_reason VARCHAR(4000), created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                    + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                ddl.execute("CREATE TABLE IF NOT EXISTS transitions (seq BIGINT AUTO_INCREMENT PRIMARY KEY, "
                    + "pipe_id VARCHAR(64) NOT NULL, from_state VARCHAR(32), to_state VARCHAR(32) NOT NULL, "
                    + "at TIMESTAMP WITH TIME ZONE NOT NULL, reason VARCHAR(4000))");
                // a catalog of an earlier ferry gets what this one keeps too
                ddl.execute("ALTER TABLE pipes ADD COLUMN IF NOT EXISTS problem VARCHAR(32)");
                ddl.execute("CREATE TABLE IF NOT EXISTS errors (seq BIGINT AUTO_INCREMENT PRIMARY KEY, "
                    + "pipe_id VARCHAR(64) NOT NULL, at TIMESTAMP WITH TIME ZONE NOT NULL, state VARCHAR(32) NOT NULL, "
                    + "code VARCHAR(32) NOT NULL, message VARCHAR(4000), resolved_at TIMESTAMP WITH TIME ZONE)");
            }
            return new PipeCatalog(lock, connection, SecretSeal.open(dataDirectory), json, clock);
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(connection);
            lock.close();
            if (e instanceof IllegalStateException refused) {
                throw refused;
            }
            throw new IllegalStateException("cannot open the pipe catalog in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the catalog is not opened: nothing more to release
            }
        }
    }

    /** Refuses a catalog written before pipes had a spec and a status of their own: it cannot be read. */
    private static void requireCurrentFormat(Statement ddl, Path dataDirectory) throws SQLException {
        try (ResultSet columns = ddl.executeQuery("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE "
            + "TABLE_NAME = 'PIPES'")) {
            List<String> names = new ArrayList<>();
            while (columns.next()) {
                names.add(columns.getString(1));
            }
            if (!names.isEmpty() && !names.contains("SPEC")) {
                throw new IllegalStateException("the pipe catalog in " + dataDirectory + " was written by an "
                    + "earlier ferry, whose format this one cannot read; start the controller with a new --data-dir "
                    + "(the pipes' ClickHouse tables can be kept: create the pipes again with other table names, "
                    + "or drop the tables first)");
            }
        }
    }

    public synchronized void insert(Pipe pipe) {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO pipes (id, name, spec, status, state, state_reason, problem, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, pipe.id());
            insert.setString(2, pipe.name());
            insert.setString(3, sealed(pipe.spec()));
            insert.setString(4, sealed(pipe.status()));
            insert.setString(5, pipe.state().name());
            insert.setString(6, bounded(pipe.stateReason()));
            insert.setString(7, pipe.problem() == null ? null : pipe.problem().code());
            insert.setTimestamp(8, Timestamp.from(pipe.createdAt()));
            insert.setTimestamp(9, Timestamp.from(pipe.updatedAt()));
            insert.executeUpdate();
            recordTransition(pipe, new Transition(null, pipe.state(), pipe.createdAt(), pipe.stateReason()));
            recordErrors(pipe, PipeErrors.between(null, pipe), pipe.createdAt());
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot save pipe " + pipe.id(), e);
        }
    }

    /**
     * Changes a pipe atomically: {@code change} gets the pipe as stored and returns it as it should be (what it
     * throws leaves the pipe as it was). A change of its state goes into the history. Empty when there is no such
     * pipe (it was deleted).
     */
    public synchronized Optional<Pipe> update(String id, UnaryOperator<Pipe> change) {
        Optional<Pipe> stored = find(id);
        if (stored.isEmpty()) {
            return stored;
        }
        Pipe before = stored.get();
        Pipe after = change.apply(before);
        if (after.equals(before)) {
            return stored;
        }
        after = after.updatedAt(clock.instant());
        try (PreparedStatement update = connection.prepareStatement(
            "UPDATE pipes SET spec = ?, status = ?, state = ?, state_reason = ?, problem = ?, updated_at = ? "
                + "WHERE id = ?")) {
            update.setString(1, sealed(after.spec()));
            update.setString(2, sealed(after.status()));
            update.setString(3, after.state().name());
            update.setString(4, bounded(after.stateReason()));
            update.setString(5, after.problem() == null ? null : after.problem().code());
            update.setTimestamp(6, Timestamp.from(after.updatedAt()));
            update.setString(7, id);
            update.executeUpdate();
            if (before.state() != after.state()) {
                recordTransition(after, new Transition(before.state(), after.state(), after.updatedAt(),
                    after.stateReason()));
            }
            recordErrors(after, PipeErrors.between(before, after), after.updatedAt());
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot save pipe " + id, e);
        }
        return Optional.of(after);
    }

    /** {@code listener} is told of every transition recorded from now on. */
    public void onTransition(TransitionListener listener) {
        listeners.add(listener);
    }

    private void recordTransition(Pipe pipe, Transition transition) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO transitions (pipe_id, from_state, to_state, at, reason) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, pipe.id());
            insert.setString(2, transition.from() == null ? null : transition.from().name());
            insert.setString(3, transition.to().name());
            insert.setTimestamp(4, Timestamp.from(transition.at()));
            insert.setString(5, bounded(transition.reason()));
            insert.executeUpdate();
        }
        listeners.forEach(listener -> listener.transitioned(pipe, transition));
    }

    /** Opens the errors of problems the pipe got, and resolves those of problems it got over, at {@code at}. */
    private void recordErrors(Pipe pipe, List<PipeErrors.Change> changes, Instant at) throws SQLException {
        for (PipeErrors.Change change : changes) {
            if (change.opens()) {
                try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO errors (pipe_id, at, state, code, message) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, pipe.id());
                    insert.setTimestamp(2, Timestamp.from(at));
                    insert.setString(3, change.state().name());
                    insert.setString(4, change.problem().code());
                    insert.setString(5, bounded(change.message()));
                    insert.executeUpdate();
                }
            } else {
                try (PreparedStatement resolve = connection.prepareStatement(
                    "UPDATE errors SET resolved_at = ? WHERE pipe_id = ? AND code = ? AND resolved_at IS NULL")) {
                    resolve.setTimestamp(1, Timestamp.from(at));
                    resolve.setString(2, pipe.id());
                    resolve.setString(3, change.problem().code());
                    resolve.executeUpdate();
                }
            }
        }
    }

    /** The pipe's errors, newest first, at most {@code limit}. */
    public synchronized List<PipeError> errors(String pipeId, int limit) {
        List<PipeError> errors = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT at, state, code, message, resolved_at FROM errors WHERE pipe_id = ? ORDER BY seq DESC LIMIT ?")) {
            select.setString(1, pipeId);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp resolved = rows.getTimestamp(5);
                    errors.add(new PipeError(rows.getTimestamp(1).toInstant(), LifecycleState.valueOf(rows.getString(2)),
                        rows.getString(3), rows.getString(4), resolved == null ? null : resolved.toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the errors of pipe " + pipeId, e);
        }
        return errors;
    }

    /** {@code value} as stored: JSON with its passwords sealed ({@link SecretSeal}). */
    private String sealed(Object value) throws JsonProcessingException {
        return json.writeValueAsString(seal.seal(json.valueToTree(value)));
    }

    private <T> T unsealed(String stored, Class<T> type) throws JsonProcessingException {
        return json.treeToValue(seal.unseal(json.readTree(stored)), type);
    }

    /** A reason cut to the column's 4000 characters. */
    private static String bounded(String reason) {
        return reason == null || reason.length() <= 4000 ? reason : reason.substring(0, 3997) + "...";
    }

    public synchronized List<Transition> history(String pipeId) {
        List<Transition> history = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT from_state, to_state, at, reason FROM transitions WHERE pipe_id = ? ORDER BY seq")) {
            select.setString(1, pipeId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String from = rows.getString(1);
                    history.add(new Transition(from == null ? null : LifecycleState.valueOf(from),
                        LifecycleState.valueOf(rows.getString(2)), rows.getTimestamp(3).toInstant(), rows.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the history of pipe " + pipeId, e);
        }
        return history;
    }

    /** Whether the catalog's database answers. */
    public synchronized boolean isOpen() {
        try {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    public synchronized Optional<Pipe> find(String id) {
        return query("SELECT " + COLUMNS + " FROM pipes WHERE id = ?", id).stream().findFirst();
    }

    public synchronized Optional<Pipe> findByName(String name) {
        return query("SELECT " + COLUMNS + " FROM pipes WHERE name = ?", name).stream().findFirst();
    }

    public synchronized List<Pipe> list() {
        return query("SELECT " + COLUMNS + " FROM pipes ORDER BY created_at", null);
    }

    public synchronized void delete(String id) {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pipes WHERE id = ?");
             PreparedStatement history = connection.prepareStatement("DELETE FROM transitions WHERE pipe_id = ?");
             PreparedStatement errors = connection.prepareStatement("DELETE FROM errors WHERE pipe_id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
            history.setString(1, id);
            history.executeUpdate();
            errors.setString(1, id);
            errors.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete pipe " + id, e);
        }
    }

    private List<Pipe> query(String sql, String parameter) {
        List<Pipe> pipes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pipes.add(new Pipe(rows.getString(1), unsealed(rows.getString(2), PipeSpec.class),
                        unsealed(rows.getString(3), PipeStatus.class),
                        LifecycleState.valueOf(rows.getString(4)), rows.getString(5),
                        rows.getString(6) == null ? null : Problem.ofCode(rows.getString(6)),
                        rows.getTimestamp(7).toInstant(), rows.getTimestamp(8).toInstant()));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read the pipe catalog", e);
        }
        return pipes;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing on shutdown; nothing left to do
        }
        lock.close();
    }
}
