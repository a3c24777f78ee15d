package dev.ferry.controller.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.ReadPreference;

import dev.ferry.common.Secret;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.SourceSpec;

/** The connection string a pipe's job uses carries the spec's credentials and read preference. */
class MongoSourceTest {

    private static ConnectionString effective(String uri, String readPreference, Credentials credentials) {
        return new ConnectionString(MongoSource.effectiveUri(new SourceSpec(uri, readPreference, credentials)));
    }

    @Test
    void aUriWithoutExtrasIsUsedAsItIs() {
        assertThat(MongoSource.effectiveUri(new SourceSpec("mongodb://h:1/?replicaSet=rs0", null, null)))
            .isEqualTo("mongodb://h:1/?replicaSet=rs0");
    }

    @Test
    void credentialsReplaceThoseInTheUriAndAreEncoded() {
        ConnectionString uri = effective("mongodb://old:pw@h:1,h2:2/?replicaSet=rs0", null,
            new Credentials("reader", Secret.of("p@ss:w/rd")));

        assertThat(uri.getUsername()).isEqualTo("reader");
        assertThat(new String(uri.getPassword())).isEqualTo("p@ss:w/rd");
        assertThat(uri.getHosts()).containsExactlyInAnyOrder("h:1", "h2:2");
        assertThat(uri.getRequiredReplicaSetName()).isEqualTo("rs0");
    }

    @Test
    void theReadPreferenceIsAddedOrReplaced() {
        assertThat(effective("mongodb://h:1", "secondaryPreferred", null).getReadPreference())
            .isEqualTo(ReadPreference.secondaryPreferred());
        assertThat(effective("mongodb://h:1/?readPreference=primary&replicaSet=rs0", "secondary", null)
            .getReadPreference()).isEqualTo(ReadPreference.secondary());
    }
}
