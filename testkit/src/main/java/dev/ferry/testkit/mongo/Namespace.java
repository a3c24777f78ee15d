package dev.ferry.testkit.mongo;

import de.bwaldvogel.mongo.bson.Document;

/** A database, or a collection in it ({@code coll} null for a whole database). */
record Namespace(String db, String coll) {

    static Namespace parse(String fullName) {
        int dot = fullName.indexOf('.');
        return dot < 0 ? new Namespace(fullName, null)
            : new Namespace(fullName.substring(0, dot), fullName.substring(dot + 1));
    }

    static Namespace database(String db) {
        return new Namespace(db, null);
    }

    String fullName() {
        return coll == null ? db : db + "." + coll;
    }

    Document toDocument() {
        Document document = new Document("db", db);
        document.putIfNotNull("coll", coll);
        return document;
    }

    static Namespace fromDocument(Document document) {
        return new Namespace((String) document.get("db"), (String) document.get("coll"));
    }
}
