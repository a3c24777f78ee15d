package dev.ferry.job.row;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.SimpleAccumulator;

/** An accumulator that keeps the first text it is given (merged: the first subtask's), e.g. an example {@code _id}. */
public final class FirstText implements SimpleAccumulator<String> {

    private static final long serialVersionUID = 1L;
    private String text;

    @Override
    public void add(String value) {
        if (text == null) {
            text = value;
        }
    }

    @Override
    public String getLocalValue() {
        return text;
    }

    @Override
    public void resetLocal() {
        text = null;
    }

    @Override
    public void merge(Accumulator<String, String> other) {
        add(other.getLocalValue());
    }

    @Override
    public FirstText clone() {
        FirstText copy = new FirstText();
        copy.text = text;
        return copy;
    }
}
