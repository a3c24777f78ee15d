package dev.ferry.controller.connect;

import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.SourceSpec;

/** Opens a pipe's source and destination; tests of the reconciler's logic give fakes. */
public interface Connections {

    Source source(SourceSpec spec);

    Destination destination(DestinationSpec spec);

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
    };
}
