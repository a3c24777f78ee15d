package dev.ferry.job.cdc;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import com.mongodb.client.model.changestream.ChangeStreamDocument;

/**
 * What the split reader hands to the emitter: a change, or only a new position (the token of a batch that held
 * no change of ours), so that an idle stream's position keeps moving.
 */
record ChangeStreamRecord(ChangeStreamDocument<RawBsonDocument> change, BsonDocument resumeToken) {

    static ChangeStreamRecord position(BsonDocument resumeToken) {
        return new ChangeStreamRecord(null, resumeToken);
    }
}
