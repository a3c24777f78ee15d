package dev.ferry.controller.flink.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * flink-conf/config.yaml as a flat map of Flink's option keys to values: the file holds one {@code key: value}
 * per line, with comments, which is all Flink's own configuration files need.
 */
final class FlinkConfFile {

    private FlinkConfFile() {
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String content = line.strip();
            int colon = content.indexOf(": ");
            if (content.isEmpty() || content.startsWith("#") || colon < 0) {
                continue;
            }
            settings.put(content.substring(0, colon).strip(), content.substring(colon + 2).strip());
        }
        return settings;
    }

    static void write(Path file, Map<String, String> settings) throws IOException {
        StringBuilder text = new StringBuilder("# written by ferry for a standalone session cluster\n");
        settings.forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
