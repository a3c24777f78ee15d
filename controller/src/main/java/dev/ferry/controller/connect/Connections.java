package dev.ferry.controller.connect;

import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.SourceSpec;

/** Opens a pipe's source, destination and sync log; tests of the reconciler's logic give fakes. */
public interface Connections {

    Source source(SourceSpec spec);

    Destination destination(DestinationSpec spec);

    /** The sync log {@code table} on the pipe's destination server. */
    SyncLog syncLog(DestinationSpec spec, SyncLogTable table);

    /** A reader of the source's change stream that finds a pipe's oldest change not yet in ClickHouse. */
    ChangeProbe changeProbe(SourceSpec spec);

    /** The real servers, over the wire. */
    Connections SERVERS = new Connections() {
        @Override
        public Source source(SourceSpec spec) {
            return new MongoSource(spec);
        }

        @Override
        public Destination destination(DestinationSpec spec) {
            return new ClickHouseDestination(spec);
        }

        @Override
        public SyncLog syncLog(DestinationSpec spec, SyncLogTable table) {
            return new ClickHouseSyncLog(spec, table);
        }

        @Override
        public ChangeProbe changeProbe(SourceSpec spec) {
            return new MongoChangeProbe(spec);
        }
    };
}
