package dev.bazahunt.tuning;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node remembers the line it started on. Jackson's
 * {@code JsonNode} drops locations, and validation messages must point at a line, so the tree is built
 * here from the YAML parser's tokens. Only what exclusion files need: mappings, sequences and scalars
 * (a scalar keeps its text; null stays null).
 */
final class LocatedYaml {
    private static final YAMLFactory YAML = new YAMLFactory();

    final int line;
    /** A {@code Map<String, LocatedYaml>}, a {@code List<LocatedYaml>}, a String, or null. */
    private final Object value;
    /** For a mapping: the line of each key, which is where a problem with that entry is reported. */
    private final Map<String, Integer> keyLines;

    private LocatedYaml(int line, Object value, Map<String, Integer> keyLines) {
        this.line = line;
        this.value = value;
        this.keyLines = keyLines;
    }

    /** Parses a whole document; malformed YAML and duplicate keys fail with their line. */
    static LocatedYaml parse(String yaml, String sourceName) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            if (parser.nextToken() == null) {
                throw new ExclusionFileException(sourceName, 1, "the file is empty");
            }
            return read(parser, sourceName);
        } catch (StreamReadException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            throw new ExclusionFileException(sourceName, line, "malformed YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ExclusionFileException(sourceName, 1, "unreadable: " + e.getMessage(), e);
        }
    }

    private static LocatedYaml read(JsonParser parser, String sourceName) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, LocatedYaml> entries = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                if (keyLines.putIfAbsent(key, keyLine) != null) {
                    throw new ExclusionFileException(sourceName, keyLine, "key '" + key + "' appears twice");
                }
                parser.nextToken();
                entries.put(key, read(parser, sourceName));
            }
            return new LocatedYaml(line, Collections.unmodifiableMap(entries), keyLines);
        }
        if (token == JsonToken.START_ARRAY) {
            List<LocatedYaml> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser, sourceName));
            }
            return new LocatedYaml(line, Collections.unmodifiableList(items), Map.of());
        }
        return new LocatedYaml(line, token == JsonToken.VALUE_NULL ? null : parser.getText(), Map.of());
    }

    boolean isMapping() {
        return value instanceof Map;
    }

    boolean isSequence() {
        return value instanceof List;
    }

    boolean isScalar() {
        return value == null || value instanceof String;
    }

    @SuppressWarnings("unchecked")
    Map<String, LocatedYaml> entries() {
        return (Map<String, LocatedYaml>) value;
    }

    @SuppressWarnings("unchecked")
    List<LocatedYaml> items() {
        return (List<LocatedYaml>) value;
    }

    /** The scalar's text; null for an empty scalar ({@code key:} with nothing after it). */
    String text() {
        return (String) value;
    }

    /** The line of a mapping's key, or the mapping's own line when the key is absent. */
    int lineOf(String key) {
        return keyLines.getOrDefault(key, line);
    }
}
