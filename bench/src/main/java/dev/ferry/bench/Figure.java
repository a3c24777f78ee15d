package dev.ferry.bench;

/**
 * One measured figure of ferry and, where there is one, the raw baseline it is judged against, measured in the
 * same run; the ratio is the figure that counts. {@code goal} says what the ratio (or the value) should be.
 */
record Figure(String name, double value, String unit, String baselineName, double baseline, String goal) {

    static Figure alone(String name, double value, String unit, String goal) {
        return new Figure(name, value, unit, "", Double.NaN, goal);
    }

    boolean hasBaseline() {
        return !Double.isNaN(baseline);
    }

    double ratio() {
        return hasBaseline() && baseline != 0 ? value / baseline : Double.NaN;
    }
}
