package dev.ferry.testkit.mongo;

/**
 * What a change stream watches: the whole deployment, one database, or one collection; which events it sees and
 * which event invalidates it.
 */
record ChangeStreamScope(String db, String coll) {

    static ChangeStreamScope deployment() {
        return new ChangeStreamScope(null, null);
    }

    static ChangeStreamScope database(String db) {
        return new ChangeStreamScope(db, null);
    }

    static ChangeStreamScope collection(String db, String coll) {
        return new ChangeStreamScope(db, coll);
    }

    boolean includes(ChangeEvent event) {
        Namespace ns = event.namespace();
        if (db == null) {
            return true;
        }
        if (coll == null) {
            return db.equals(ns.db());
        }
        return db.equals(ns.db()) && coll.equals(ns.coll());
    }

    /** The event after which MongoDB closes such a stream with an {@code invalidate} event. */
    boolean isInvalidatedBy(ChangeEvent event) {
        if (db == null || !includes(event)) {
            return false;
        }
        return switch (event.operationType()) {
            case DROP, RENAME -> coll != null;
            case DROP_DATABASE -> coll == null;
            default -> false;
        };
    }

    /** The {@code ns} of the stream's cursor replies. */
    String cursorNamespace() {
        if (db == null) {
            return "admin.$cmd.aggregate";
        }
        return coll == null ? db + ".$cmd.aggregate" : db + "." + coll;
    }
}
