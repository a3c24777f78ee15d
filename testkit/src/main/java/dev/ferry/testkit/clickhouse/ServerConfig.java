package dev.ferry.testkit.clickhouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The configuration of a test server: loopback only, its own ports, everything under one directory. */
final class ServerConfig {

    private ServerConfig() {
    }

    static void write(Path directory, int httpPort, int tcpPort, int interserverPort) throws IOException {
        for (String sub : new String[] {"data", "tmp", "user_files", "format_schemas", "log"}) {
            Files.createDirectories(directory.resolve(sub));
        }
        String dir = directory.toAbsolutePath().toString();
        // <yandex> is the root element every version from 18.16 to today still reads
        String config = """
            <?xml version="1.0"?>
            <yandex>
              <logger>
                <level>warning</level>
                <log>%1$s/log/server.log</log>
                <errorlog>%1$s/log/error.log</errorlog>
                <console>0</console>
              </logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>%2$d</http_port>
              <tcp_port>%3$d</tcp_port>
              <interserver_http_port>%4$d</interserver_http_port>
              <path>%1$s/data/</path>
              <tmp_path>%1$s/tmp/</tmp_path>
              <user_files_path>%1$s/user_files/</user_files_path>
              <format_schema_path>%1$s/format_schemas/</format_schema_path>
              <users_config>%1$s/users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size>
              <max_concurrent_queries>100</max_concurrent_queries>
              <timezone>UTC</timezone>
            </yandex>
            """.formatted(dir, httpPort, tcpPort, interserverPort);
        Files.writeString(directory.resolve("config.xml"), config, StandardCharsets.UTF_8);
        writeUsers(directory, Map.of());
    }

    /** A user besides {@code default}: its password, and whether it may only read. */
    record User(String password, boolean readOnly) {
    }

    /**
     * The users' file: {@code default} without a password, and {@code extra}. The server reads it again when it
     * changes, within a few seconds.
     */
    static void writeUsers(Path directory, Map<String, User> extra) throws IOException {
        StringBuilder users = new StringBuilder();
        extra.forEach((name, user) -> users.append("""
                <%s>
                  <password>%s</password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>%s</profile>
                  <quota>default</quota>
                </%s>
            """.formatted(name, user.password(), user.readOnly() ? "readonly" : "default", name)));
        String file = """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default></default><readonly><readonly>1</readonly></readonly></profiles>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
            %s  </users>
              <quotas>
                <default>
                  <interval>
                    <duration>3600</duration>
                    <queries>0</queries><errors>0</errors><result_rows>0</result_rows>
                    <read_rows>0</read_rows><execution_time>0</execution_time>
                  </interval>
                </default>
              </quotas>
            </yandex>
            """.formatted(users);
        Path target = directory.resolve("users.xml");
        Path written = directory.resolve("users.xml.new");
        Files.writeString(written, file, StandardCharsets.UTF_8);
        // the server sees a change by the file's modification time in whole seconds: a file written within the
        // second of the one it replaces is dated a second later
        if (Files.exists(target)) {
            long before = Files.getLastModifiedTime(target).to(TimeUnit.SECONDS);
            if (Files.getLastModifiedTime(written).to(TimeUnit.SECONDS) <= before) {
                Files.setLastModifiedTime(written, FileTime.from(before + 1, TimeUnit.SECONDS));
            }
        }
        // replaced in one step, so that the server never reads half a file
        Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
