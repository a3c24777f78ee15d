package dev.ferry.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

class EventFragmentsTest {

    private static RawBsonDocument event(String json) {
        return RawBsonDocument.parse(json);
    }

    @Test
    void aWholeEventPassesAsItIs() {
        EventFragments fragments = new EventFragments();

        assertThat(fragments.add(event("{_id: {_data: 'a'}, operationType: 'insert'}"))).get()
            .extracting(e -> e.getString("operationType").getValue()).isEqualTo("insert");
        assertThat(fragments.pending()).isFalse();
    }

    @Test
    void fragmentsAreJoinedOnceTheLastArrivesWithItsResumeTokenAndEveryFieldOnce() {
        EventFragments fragments = new EventFragments();

        assertThat(fragments.add(event("{_id: {_data: 'a1'}, splitEvent: {fragment: 1, of: 2}, "
            + "operationType: 'update', updateDescription: {updatedFields: {n: 'x'}}}"))).isEmpty();
        assertThat(fragments.pending()).isTrue();
        BsonDocument joined = fragments.add(event("{_id: {_data: 'a2'}, splitEvent: {fragment: 2, of: 2}, "
            + "fullDocument: {_id: 1, n: 'x'}}")).orElseThrow();

        assertThat(joined).isEqualTo(BsonDocument.parse("{_id: {_data: 'a2'}, operationType: 'update', "
            + "updateDescription: {updatedFields: {n: 'x'}}, fullDocument: {_id: 1, n: 'x'}}"));
        assertThat(fragments.pending()).isFalse();
    }

    @Test
    void aFragmentOutOfOrderIsAnError() {
        EventFragments fragments = new EventFragments();

        assertThatThrownBy(() -> fragments.add(event("{_id: {_data: 'a2'}, splitEvent: {fragment: 2, of: 2}}")))
            .isInstanceOf(IllegalStateException.class);
    }
}
