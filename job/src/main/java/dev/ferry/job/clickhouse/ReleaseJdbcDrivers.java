package dev.ferry.job.clickhouse;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import dev.ferry.job.row.ChangeRow;

/**
 * Passes a table's rows on to its sink unchanged, and makes sure the job's JDBC driver does not outlive the job.
 * flink-connector-jdbc registers the ClickHouse driver with {@link DriverManager}, which lives as long as the
 * TaskManager: the registration would keep every class of the job loaded after it stopped (Flink's documentation
 * warns of JDBC drivers in job jars for this reason). Chained with the sink, this function has Flink deregister the
 * drivers of the job's class loader when it releases that loader.
 */
public final class ReleaseJdbcDrivers extends RichMapFunction<ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void open(OpenContext context) {
        // the loader of the job's own classes (the runtime context's may wrap it), which loaded the driver too
        ClassLoader jobClassLoader = ReleaseJdbcDrivers.class.getClassLoader();
        if (jobClassLoader != ClassLoader.getSystemClassLoader()) {
            getRuntimeContext().registerUserCodeClassLoaderReleaseHookIfAbsent("ferry-jdbc-drivers",
                () -> deregisterDriversOf(jobClassLoader));
        }
    }

    @Override
    public ChangeRow map(ChangeRow row) {
        return row;
    }

    /** Deregisters the JDBC drivers whose classes {@code loader} loaded. */
    static void deregisterDriversOf(ClassLoader loader) {
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == loader) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    // DriverManager refuses only callers that may not see the driver: a driver this job loaded
                    // is visible to it
                    throw new IllegalStateException("cannot deregister the JDBC driver " + driver.getClass(), e);
                }
            }
        }
    }
}
