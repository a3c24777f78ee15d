package dev.ferry.controller.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.Transition;

/**
 * The durable pipe catalog: an embedded H2 database file in the controller's data directory, written in
 * transactions, so that it survives restarts and crashes. The data directory is locked while the catalog is open:
 * a second controller on the same directory is refused.
 */
public final class PipeCatalog implements AutoCloseable {

    private final DataDirectoryLock lock;
    private final Connection connection;
    private final ObjectMapper json;

    private PipeCatalog(DataDirectoryLock lock, Connection connection, ObjectMapper json) {
        this.lock = lock;
        this.connection = connection;
        this.json = json;
    }

    public static PipeCatalog open(Path dataDirectory, ObjectMapper json) {
        // WRITE_DELAY=0: every commit is on disk before the API answers, so a controller killed right after a 202
        // still knows what it accepted (H2 otherwise flushes commits up to half a second later)
        String url = "jdbc:h2:file:" + dataDirectory.resolve("catalog").toAbsolutePath()
            + ";FILE_LOCK=FILE;WRITE_DELAY=0";
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
        try {
            Connection connection = DriverManager.getConnection(url, "ferry", "");
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS pipes (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64) UNIQUE "
                    + "NOT NULL, request CLOB NOT NULL, status CLOB NOT NULL, created_at TIMESTAMP WITH TIME ZONE "
                    + "NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                ddl.execute("CREATE TABLE IF NOT EXISTS transitions (seq BIGINT AUTO_INCREMENT PRIMARY KEY, "
                    + "pipe_id VARCHAR(64) NOT NULL, from_state VARCHAR(32), to_state VARCHAR(32) NOT NULL, "
                    + "at TIMESTAMP WITH TIME ZONE NOT NULL, reason VARCHAR(4000))");
            }
            return new PipeCatalog(lock, connection, json);
        } catch (SQLException e) {
            lock.close();
            throw new IllegalStateException("cannot open the pipe catalog in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    public synchronized void insert(Pipe pipe) {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO pipes (id, name, request, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, pipe.id());
            insert.setString(2, pipe.request().name());
            insert.setString(3, json.writeValueAsString(pipe.request()));
            insert.setString(4, json.writeValueAsString(pipe.status()));
            insert.setTimestamp(5, Timestamp.from(pipe.createdAt()));
            insert.setTimestamp(6, Timestamp.from(pipe.updatedAt()));
            insert.executeUpdate();
            recordTransition(pipe.id(), new Transition(null, pipe.status().state(), pipe.createdAt(),
                pipe.status().stateReason()));
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot save pipe " + pipe.id(), e);
        }
    }

    /** Saves a new status; when its state differs from the stored one, the transition goes into the history. */
    public synchronized void updateStatus(Pipe pipe) {
        Optional<Pipe> stored = find(pipe.id());
        if (stored.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
            "UPDATE pipes SET status = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, json.writeValueAsString(pipe.status()));
            update.setTimestamp(2, Timestamp.from(pipe.updatedAt()));
            update.setString(3, pipe.id());
            update.executeUpdate();
            LifecycleState before = stored.get().status().state();
            if (before != pipe.status().state()) {
                recordTransition(pipe.id(), new Transition(before, pipe.status().state(), pipe.updatedAt(),
                    pipe.status().stateReason()));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot save pipe " + pipe.id(), e);
        }
    }

    /** Saves what the user now asks of the pipe (its settings), with its status. */
    public synchronized void updateRequest(Pipe pipe) {
        try (PreparedStatement update = connection.prepareStatement(
            "UPDATE pipes SET request = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, json.writeValueAsString(pipe.request()));
            update.setTimestamp(2, Timestamp.from(pipe.updatedAt()));
            update.setString(3, pipe.id());
            update.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot save pipe " + pipe.id(), e);
        }
        updateStatus(pipe);
    }

    private void recordTransition(String pipeId, Transition transition) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO transitions (pipe_id, from_state, to_state, at, reason) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, pipeId);
            insert.setString(2, transition.from() == null ? null : transition.from().name());
            insert.setString(3, transition.to().name());
            insert.setTimestamp(4, Timestamp.from(transition.at()));
            insert.setString(5, transition.reason());
            insert.executeUpdate();
        }
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

    public synchronized Optional<Pipe> find(String id) {
        return query("SELECT id, request, status, created_at, updated_at FROM pipes WHERE id = ?", id).stream().findFirst();
    }

    public synchronized Optional<Pipe> findByName(String name) {
        return query("SELECT id, request, status, created_at, updated_at FROM pipes WHERE name = ?", name).stream()
            .findFirst();
    }

    public synchronized List<Pipe> list() {
        return query("SELECT id, request, status, created_at, updated_at FROM pipes ORDER BY created_at", null);
    }

    public synchronized void delete(String id) {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pipes WHERE id = ?");
             PreparedStatement history = connection.prepareStatement("DELETE FROM transitions WHERE pipe_id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
            history.setString(1, id);
            history.executeUpdate();
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
                    pipes.add(new Pipe(rows.getString(1), json.readValue(rows.getString(2), PipeRequest.class),
                        json.readValue(rows.getString(3), PipeStatus.class), rows.getTimestamp(4).toInstant(),
                        rows.getTimestamp(5).toInstant()));
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
