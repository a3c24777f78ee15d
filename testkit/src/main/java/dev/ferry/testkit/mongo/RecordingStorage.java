package dev.ferry.testkit.mongo;

import java.util.function.Supplier;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * mongo-java-server's storage engines with their oplog replaced by the emulator's change recorder, through the
 * {@code createOplog()} extension point they offer.
 */
final class RecordingStorage {

    private RecordingStorage() {
    }

    static final class InMemory extends MemoryBackend {
        private final Supplier<Oplog> recorder;

        InMemory(Supplier<Oplog> recorder) {
            this.recorder = recorder;
        }

        @Override
        protected Oplog createOplog() {
            return recorder.get();
        }
    }

    static final class InFile extends H2Backend {
        private final Supplier<Oplog> recorder;

        InFile(MVStore store, Supplier<Oplog> recorder) {
            super(store);
            this.recorder = recorder;
        }

        @Override
        protected Oplog createOplog() {
            return recorder.get();
        }
    }
}
