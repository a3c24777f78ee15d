package dev.ferry.testkit.clickhouse;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real ClickHouse server: {@code @ExtendWith(ClickHouseExtension.class)}, then a
 * {@link ClickHouseServer} parameter in a constructor, lifecycle method or test. One server serves the whole test
 * JVM (it starts in about a second, but there is no need to start it per class); tests keep apart by creating
 * databases of their own with {@link ClickHouseServer#createDatabase(String)}. The server stops when the JVM's
 * tests are done, or, through its watchdog, when the JVM dies.
 */
public final class ClickHouseExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClickHouseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ClickHouseServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static ClickHouseServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent("server", key -> new SharedServer(ClickHouseServer.start()), SharedServer.class)
            .server();
    }

    /** Closes the server when JUnit closes the root context, at the end of the run. */
    @SuppressWarnings("deprecation")
    private record SharedServer(ClickHouseServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
