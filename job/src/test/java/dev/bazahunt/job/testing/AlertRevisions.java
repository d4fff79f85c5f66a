package dev.bazahunt.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.Map;

/**
 * What an upserting SIEM holds after reading an alerts topic: the last revision of each AlertId. Live
 * and replay must agree on it for the same events, Revision aside (replay writes Revision 1 only).
 */
public final class AlertRevisions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertRevisions() {}

    /** AlertId → alert JSON without its Revision, for the highest revision of each AlertId. */
    public static Map<String, String> latest(List<String> alerts) {
        Map<String, ObjectNode> latest = new TreeMap<>();
        for (String json : alerts) {
            ObjectNode alert = read(json);
            String id = alert.get("AlertId").asText();
            ObjectNode known = latest.get(id);
            if (known == null || known.get("Revision").asInt() < alert.get("Revision").asInt()) {
                latest.put(id, alert);
            }
        }
        Map<String, String> withoutRevision = new TreeMap<>();
        latest.forEach((id, alert) -> {
            alert.remove("Revision");
            withoutRevision.put(id, alert.toString());
        });
        return withoutRevision;
    }

    /** The golden alerts of the bundled telemetry, in the same form. */
    public static Map<String, String> golden() {
        try {
            return latest(Files.readAllLines(TestdataRows.TESTDATA.resolve("expected-alerts.jsonl")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No (AlertId, Revision) may be written twice, and revisions count up from 1 without gaps. */
    public static void assertEachRevisionWrittenOnce(List<String> alerts) {
        Set<String> seen = new HashSet<>();
        Map<String, List<Integer>> revisions = new TreeMap<>();
        for (String json : alerts) {
            ObjectNode alert = read(json);
            String key = alert.get("AlertId").asText() + "#" + alert.get("Revision").asInt();
            assertThat(seen.add(key)).as("written twice: %s", key).isTrue();
            revisions.computeIfAbsent(alert.get("AlertId").asText(), id -> new ArrayList<>())
                    .add(alert.get("Revision").asInt());
        }
        revisions.forEach((id, list) -> {
            List<Integer> sorted = list.stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                assertThat(sorted.get(i)).as("revisions of %s", id).isEqualTo(i + 1);
            }
        });
    }

    /** An (AlertId, Revision) may be written more than once only with the very same content. */
    public static void assertNoRevisionWithTwoContents(List<String> alerts) {
        Map<String, String> contents = new TreeMap<>();
        for (String json : alerts) {
            ObjectNode alert = read(json);
            String key = alert.get("AlertId").asText() + "#" + alert.get("Revision").asInt();
            String known = contents.putIfAbsent(key, alert.toString());
            assertThat(known == null || known.equals(alert.toString())).as("two contents for %s", key).isTrue();
        }
    }

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
