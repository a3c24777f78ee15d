package dev.ferry.testkit.clickhouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        String users = """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default></default></profiles>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
              </users>
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
            """;
        Files.writeString(directory.resolve("config.xml"), config, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("users.xml"), users, StandardCharsets.UTF_8);
    }
}
