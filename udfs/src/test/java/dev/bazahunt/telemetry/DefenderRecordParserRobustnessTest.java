package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives on the topic, the parser answers with events, skips or dead letters, never throws,
 * and accounts for every record: Jackson's tree model, configured as strictly as the parser, says
 * independently how many records the bytes hold, and the parser must give exactly one outcome each.
 */
class DefenderRecordParserRobustnessTest {

    /** The oracle: whole-document parsing, rejecting what the parser rejects (trailing content, duplicate keys). */
    private static final ObjectMapper ORACLE = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final List<byte[]> VALID_UNITS = List.of(
            bytes(batch(envelope("DeviceFileEvents", FILE_ROW), envelope("DeviceNetworkEvents", NETWORK_ROW),
                    envelopeWithCategoryLast("DeviceProcessEvents", PROCESS_ROW))),
            bytes(envelope("DeviceProcessEvents", PROCESS_ROW) + "\r\n"),
            bytes(FILE_ROW.replace("}", ",\"Type\":\"DeviceFileEvents\",\"AdditionalFields\":{\"a\":[1,{\"b\":null}]}}")),
            bytes("\uFEFF" + withColumn(FILE_ROW, "InitiatingProcessCommandLine", "\"x \\u2013f \\ud83d\\ude80 ü\"")));

    /** Bytes that tend to break JSON or its parser in interesting ways. */
    private static final byte[] INTERESTING_BYTES = bytes("{}[]\":,\\u0123456789.-+eE ntfa\r\n\t\0");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fiveThousandMutatedOrTruncatedMessagesNeverThrowAndAlwaysAccountForThemselves() {
        SplittableRandom random = new SplittableRandom(0xBA2ACA11L);
        DefenderRecordParser parser = new DefenderRecordParser();
        int withDeadLetters = 0;
        int brokenUnits = 0;
        int outcomes = 0;
        for (int round = 0; round < 5_000; round++) {
            byte[] original = VALID_UNITS.get(random.nextInt(VALID_UNITS.size()));
            byte[] mutated = mutate(original, random);
            CollectingSink sink = new CollectingSink();

            parser.parse(mutated, 0, mutated.length, DefenderTable.DEVICE_FILE_EVENTS, sink);

            assertThat(sink.deadLetters).as("round %d", round).allSatisfy(letter -> {
                assertThat(letter.reason).isNotEqualTo(DeadLetterReason.INTERNAL_ERROR.code());
                assertThat(letter.detail).isNotBlank();
                assertThat(letter.excerpt.length()).isLessThanOrEqualTo(DeadLetter.MAX_EXCERPT_CHARS + 1);
            });
            String unit = new String(mutated, StandardCharsets.UTF_8);
            int recordsHeld = recordsHeld(mutated);
            long malformed = sink.deadLetters.stream().filter(l -> l.reason.equals("malformed-json")).count();
            if (recordsHeld >= 0) {
                assertThat(sink.total()).as("one outcome per record of %s", unit).isEqualTo(recordsHeld);
                assertThat(malformed).as("valid JSON is never malformed: %s", unit).isZero();
            } else {
                assertThat(malformed).as("broken JSON gets exactly one malformed-json dead letter: %s", unit).isEqualTo(1);
                assertThat(sink.total()).as("records before the break, then the break: %s", unit)
                        .isBetween(1, recordsIn(original) + (isBatch(original) ? 1 : 0));
                brokenUnits++;
            }
            withDeadLetters += sink.deadLetters.isEmpty() ? 0 : 1;
            outcomes += sink.total();
        }
        // The mutations must actually exercise the error paths, or this test proves nothing.
        assertThat(withDeadLetters).isGreaterThan(2_500);
        assertThat(brokenUnits).isGreaterThan(1_000);
        assertThat(outcomes).isGreaterThan(5_000);
    }

    /**
     * How many records the bytes hold as far as the oracle sees them: the elements of a root object's
     * {@code records} array, else 1 for any other JSON value, 0 for a blank unit, -1 for broken JSON.
     */
    private static int recordsHeld(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.replace("\uFEFF", "").isBlank() && text.chars().allMatch(c -> c == 0xFEFF || " \t\r\n".indexOf(c) >= 0)) {
            return 0;
        }
        JsonNode root;
        try {
            root = ORACLE.readTree(bytes);
        } catch (IOException broken) {
            return -1;
        }
        if (root == null || root.isMissingNode()) {
            return 0;
        }
        JsonNode records = root.get("records");
        return root.isObject() && records != null && records.isArray() ? records.size() : 1;
    }

    private static boolean isBatch(byte[] original) {
        return new String(original, StandardCharsets.UTF_8).startsWith("{\"records\"");
    }

    private static int recordsIn(byte[] original) {
        int held = recordsHeld(original);
        return Math.max(held, 1);
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = Arrays.copyOf(original, original.length);
        switch (random.nextInt(5)) {
            case 0:
                return Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncated
            case 1:
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // arbitrary bytes
                }
                return bytes;
            case 2:
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                }
                return bytes;
            case 3: {
                int from = random.nextInt(bytes.length);
                int to = Math.min(bytes.length, from + random.nextInt(40));
                byte[] cut = new byte[bytes.length - (to - from)];
                System.arraycopy(bytes, 0, cut, 0, from);
                System.arraycopy(bytes, to, cut, from, bytes.length - to);
                return cut; // a span removed
            }
            default: {
                int at = random.nextInt(bytes.length);
                byte[] grown = Arrays.copyOf(bytes, bytes.length + 1);
                System.arraycopy(bytes, at, grown, at + 1, bytes.length - at);
                grown[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                return grown; // one byte inserted
            }
        }
    }
}
