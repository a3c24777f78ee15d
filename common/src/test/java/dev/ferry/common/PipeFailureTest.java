package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** The controller recognises a pipe failure in the stack trace Flink reports, wherever it is in the chain. */
class PipeFailureTest {

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void aPipeFailureDeepInTheChainOfCausesIsFound() {
        Throwable wrapped = new RuntimeException("One or more fetchers have encountered exception",
            new IllegalStateException("fetch failed",
                PipeFailure.CHANGE_STREAM_HISTORY_LOST.exception("resume point gone", new Exception("code 286"))));

        assertThat(PipeFailure.in(stackTrace(wrapped))).contains(PipeFailure.CHANGE_STREAM_HISTORY_LOST);
    }

    @Test
    void aFailureWithoutOneIsNotAPipeFailure() {
        assertThat(PipeFailure.in(stackTrace(new RuntimeException("ChangeStreamHistoryLost mentioned in passing"))))
            .isEmpty();
        assertThat(PipeFailure.in(null)).isEmpty();
    }

    @Test
    void thePipeFailuresOwnMessageIsItsDetail() {
        Throwable wrapped = new RuntimeException(PipeFailure.CHANGE_EVENT_TOO_LARGE.exception("the change event of "
            + "the document with _id 7 is over 16 MB", new Exception("BSONObjectTooLarge")));

        assertThat(PipeFailure.detailIn(stackTrace(wrapped))).contains("the change event of the document with _id 7 "
            + "is over 16 MB");
        assertThat(PipeFailure.detailIn(stackTrace(new RuntimeException("other")))).isEmpty();
    }
}
