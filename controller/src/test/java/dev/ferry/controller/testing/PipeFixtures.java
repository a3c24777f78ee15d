package dev.ferry.controller.testing;

import java.time.Instant;
import java.util.List;

import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.TableMapping;

/** Specs and pipes for unit tests. */
public final class PipeFixtures {

    private PipeFixtures() {
    }

    /** A pipe {@code shop} from {@code shop.orders} into ClickHouse's {@code d.orders}, with these settings. */
    public static PipeSpec spec(PipeSettings settings) {
        return PipeSpec.of("shop", new SourceSpec("mongodb://h/?replicaSet=rs0", null, Credentials.NONE),
            new DestinationSpec("http://ch:8123", "d", Credentials.NONE),
            List.of(new TableMapping("shop", "orders", "orders")), settings);
    }

    public static PipeSpec spec() {
        return spec(PipeSettings.DEFAULTS);
    }

    public static Pipe pipe(PipeSpec spec, PipeStatus status, LifecycleState state) {
        return new Pipe("id-1", spec, status, state, "why", null, Instant.EPOCH, Instant.EPOCH);
    }

    public static Pipe pipeIn(LifecycleState state) {
        return pipe(spec(), PipeStatus.initial(), state);
    }
}
