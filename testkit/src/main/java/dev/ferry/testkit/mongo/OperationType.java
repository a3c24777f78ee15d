package dev.ferry.testkit.mongo;

/** The change events the emulator records, named as MongoDB names them in {@code operationType}. */
enum OperationType {
    INSERT("insert"),
    UPDATE("update"),
    REPLACE("replace"),
    DELETE("delete"),
    DROP("drop"),
    RENAME("rename"),
    DROP_DATABASE("dropDatabase");

    private final String wireName;

    OperationType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static OperationType fromWireName(String name) {
        for (OperationType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown operation type: " + name);
    }

    boolean isDataChange() {
        return this == INSERT || this == UPDATE || this == REPLACE || this == DELETE;
    }
}
