package dev.ferry.testkit.mongo;

import java.util.Set;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/** The options of a {@code $changeStream} stage, checked the way mongod checks them. */
record ChangeStreamOptions(FullDocument fullDocument, BeforeChange beforeChange, ResumeToken resumeAfter,
                           ResumeToken startAfter, BsonTimestamp startAtOperationTime, boolean allChangesForCluster) {

    /** What {@code fullDocumentBeforeChange} an update, replace or delete event carries (MongoDB 6.0+). */
    enum BeforeChange {
        /** none */
        OFF("off"),
        /** the document as it was before the change, null when no pre-image was kept */
        WHEN_AVAILABLE("whenAvailable"),
        /** the document as it was before the change, an error when there is none */
        REQUIRED("required");

        private final String option;

        BeforeChange(String option) {
            this.option = option;
        }

        static BeforeChange parse(Object value, ServerVersion version) {
            if (!version.hasChangeStreamImages()) {
                if ("off".equals(value)) {
                    return OFF;
                }
                throw version.unknownField("$changeStream.fullDocumentBeforeChange");
            }
            for (BeforeChange mode : values()) {
                if (mode.option.equals(value)) {
                    return mode;
                }
            }
            throw new MongoServerError(2, "BadValue", "unrecognized value for the fullDocumentBeforeChange option: "
                + value + "; expected one of off, whenAvailable, required");
        }
    }

    /** The fragment token the stream resumes from, or null when it resumes from a whole event (or does not). */
    ResumeToken resumedFragment() {
        ResumeToken token = resumeAfter != null ? resumeAfter : startAfter;
        return token != null && token.fragment() > 0 ? token : null;
    }

    /** What {@code fullDocument} an update event carries. */
    enum FullDocument {
        /** none for updates */
        DEFAULT("default"),
        /** the document as it is when the event is read; null when it is gone by then */
        UPDATE_LOOKUP("updateLookup"),
        /** the document as the update left it */
        WHEN_AVAILABLE("whenAvailable"),
        /** the document as the update left it, an error when there is none */
        REQUIRED("required");

        private final String option;

        FullDocument(String option) {
            this.option = option;
        }

        static FullDocument parse(Object value) {
            for (FullDocument mode : values()) {
                if (mode.option.equals(value)) {
                    return mode;
                }
            }
            throw new MongoServerError(2, "BadValue", "unrecognized value for the fullDocument option: " + value
                + "; expected one of default, updateLookup, whenAvailable, required");
        }
    }

    private static final Set<String> KNOWN = Set.of("fullDocument", "fullDocumentBeforeChange", "resumeAfter",
        "startAfter", "startAtOperationTime", "allChangesForCluster", "showExpandedEvents");

    static ChangeStreamOptions parse(Object stage, ServerVersion version) {
        if (!(stage instanceof Document spec)) {
            throw new MongoServerError(50808, "Location50808", "$changeStream stage expects a document as argument");
        }
        for (String key : spec.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new MongoServerError(40415, "Location40415",
                    "BSON field '$changeStream." + key + "' is an unknown field.");
            }
        }
        BeforeChange beforeChange = BeforeChange.parse(spec.getOrDefault("fullDocumentBeforeChange", "off"), version);
        int resumeOptions = (spec.containsKey("resumeAfter") ? 1 : 0) + (spec.containsKey("startAfter") ? 1 : 0)
            + (spec.containsKey("startAtOperationTime") ? 1 : 0);
        if (resumeOptions > 1) {
            throw new MongoServerError(40674, "Location40674",
                "Only one type of resume option is allowed, but multiple were found.");
        }
        ResumeToken resumeAfter = spec.containsKey("resumeAfter") ? ResumeToken.parse(spec.get("resumeAfter")) : null;
        if (resumeAfter != null && resumeAfter.invalidate()) {
            throw new MongoServerError(260, "InvalidResumeToken",
                "Attempting to resume a change stream using 'resumeAfter' is not allowed from an invalidate "
                    + "notification; use 'startAfter' instead.");
        }
        Object operationTime = spec.get("startAtOperationTime");
        if (operationTime != null && !(operationTime instanceof BsonTimestamp)) {
            throw new MongoServerError(14, "TypeMismatch", "startAtOperationTime must be a timestamp");
        }
        FullDocument fullDocument = FullDocument.parse(spec.getOrDefault("fullDocument", "default"));
        if ((fullDocument == FullDocument.WHEN_AVAILABLE || fullDocument == FullDocument.REQUIRED)
            && !version.hasChangeStreamImages()) {
            throw new MongoServerError(2, "BadValue", "unrecognized value for the fullDocument option: "
                + spec.get("fullDocument") + "; MongoDB " + version.major() + "." + version.minor()
                + " knows default and updateLookup (post-images need 6.0)");
        }
        return new ChangeStreamOptions(
            fullDocument,
            beforeChange,
            resumeAfter,
            spec.containsKey("startAfter") ? ResumeToken.parse(spec.get("startAfter")) : null,
            (BsonTimestamp) operationTime,
            Boolean.TRUE.equals(spec.get("allChangesForCluster")));
    }

    /**
     * Where the stream starts reading: after this position. A fragment's token resumes inside its event: the event
     * is read again and its fragments up to that one are skipped ({@link #resumedFragment()}).
     */
    ChangeLogPosition startAfterPosition(ChangeLogPosition head) {
        ResumeToken token = resumeAfter != null ? resumeAfter : startAfter;
        if (token != null) {
            return token.fragment() > 0 ? token.position().before() : token.position();
        }
        if (startAtOperationTime != null) {
            return ChangeLogPosition.justBefore(startAtOperationTime);
        }
        return head;
    }
}
