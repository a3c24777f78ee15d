package dev.ferry.controller.connect;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Looks at a pipe's source for the oldest change its tables do not have yet: the first change of its collections,
 * in the change stream, whose version is above the newest the sync log has committed. Kept open between looks: a
 * look goes on from where the last one found nothing pending. Throws a {@link SourceException} when the deployment
 * does not answer.
 */
public interface ChangeProbe extends AutoCloseable {

    /**
     * When the oldest change of {@code namespaces} ({@code db.collection}) above {@code committedVersion} was made
     * (its wall time where the server gives one, MongoDB 6.0+, else its cluster time's second); empty when the
     * stream has none.
     */
    Optional<Instant> oldestChangeAfter(long committedVersion, Collection<String> namespaces);

    @Override
    void close();
}
