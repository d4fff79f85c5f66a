package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter has two scans, the vector one and the word one for JVMs without the vector module.
 * Both must find exactly what a plain oracle (regular expressions, fine in a test) finds on every line,
 * however the bytes arrive: whole, or in chunks that stop a scan short and make it resume.
 */
class RawPrefilterScansTest {
    @FunctionalInterface
    private interface Scan {
        long scan(byte[] bytes, int unitStart, int from, int end, boolean finalEnd);
    }

    /** Every rule needle, in any ASCII case. */
    private static final Pattern RULE_NEEDLE = Pattern.compile(java.util.Arrays.stream(RawPrefilter.needles())
            .filter(needle -> !needle.equals("excel.exe")).map(Pattern::quote)
            .collect(java.util.stream.Collectors.joining("|")), Pattern.CASE_INSENSITIVE);
    private static final Pattern EXCEL_CHILD = Pattern.compile(
            "\"InitiatingProcessFileName\"[ \\t\\r]*:[ \\t\\r]*\"(?i:excel\\.exe)\"");
    private static final Pattern ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\(?:u[0-9a-fA-F]|/)");

    private static final String[] FRAGMENTS = {
        "-urlcache", "-URLCache", "-urlcach", "urlcache", "CryptnetUrlCache", "--utility", "-u", "-ur",
        "\"InitiatingProcessFileName\":\"EXCEL.EXE\"", "\"InitiatingProcessFileName\" :\t\"excel.exe\"",
        "\"InitiatingProcessFileName\":\"excel.exe \"", "\"FileName\":\"Excel.exe\"", "\"excel.exe\"", "xc", "XC",
        "\"InitiatingProcessParentFileName\":\"excel.exe\"", "\\u0041", "\\\\u0041", "\\\\\\u0041", "\\/",
        "\\\\/", "C:\\\\Users\\\\", "c:\\\\users\\\\", "\\", "\n", "\n", "{", "}", " ", "\"", ":", "é", "abcdefgh",
        "0123456789abcdef", "\r",
        // the pack's needles, their anchors and near misses, in both cases; the lookups mix buckets' bytes
        "rclone", "RClone.exe", "rclon", "rcl", "ntdsutil.exe", "NTDSUTIL.EXE", "ntdsutil", "tds", "certutil.exe",
        "CertUtil.exe", "certutil", "cer", "rundll32.exe", "RUNDLL32.exe", "rundll32", "run", "/cancel.php",
        "/download.php", "/DOWNLOAD.PHP", "/cance", "/do", "/ca", ".xyz/config.php", ".xyz", ".XY", "emailevents",
        "EmailEvents", "ema", "|u", "|U", "\\U", "-Ur", "=ur", "-UR", "|/", "\\u000a", "\\\\u000a",
        "\\u", "\\us", "\\uF", "\\ug", "\\\\\\uZ", "\\\\us",
    };

    @Test
    void theVectorScanRunsInTheseTests() {
        // The build passes --add-modules jdk.incubator.vector to every test JVM, as to every job JVM.
        assertThat(RawPrefilter.scanKind()).startsWith("vector");
    }

    @Test
    void everyNeedleIsAnchoredInOneOfAtMostEightBuckets() {
        List<List<String>> buckets = VectorRawScan.buckets();
        assertThat(buckets).hasSizeBetween(1, 8);
        List<String> anchors = buckets.stream().flatMap(List::stream).toList();
        for (String needle : RawPrefilter.needles()) {
            assertThat(anchors).as("anchors of %s", needle).anySatisfy(anchor -> assertThat(needle).contains(anchor));
        }
        assertThat(anchors).contains("\\u[0123456789ABCDEFabcdef]", "\\/?");
    }

    @Test
    void bothScansFindWhatTheOracleFindsOnEveryLineInAnyChunking() {
        SplittableRandom random = new SplittableRandom(1234);
        for (int round = 0; round < 3_000; round++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(60);
            for (int p = 0; p < pieces; p++) {
                text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            List<String> expected = oracle(text.toString());
            int chunk = 1 + random.nextInt(random.nextBoolean() ? 8 : 400);
            assertThat(decide(RawPrefilter::scanWords, bytes, chunk)).as("word scan, chunks of %d: %s", chunk, text)
                    .isEqualTo(expected);
            assertThat(decide(VectorRawScan::scan, bytes, chunk)).as("vector scan, chunks of %d: %s", chunk, text)
                    .isEqualTo(expected);
        }
    }

    /**
     * Per line, whether it holds a finding, else an Excel child's value, else nothing: a plain reading of
     * the pre-filter's contract.
     */
    private static List<String> oracle(String text) {
        List<String> findings = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int count = text.isEmpty() || text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            findings.add(RULE_NEEDLE.matcher(line).find() || ESCAPE.matcher(line).find() ? FINDING
                    : EXCEL_CHILD.matcher(line).find() ? EXCEL_VALUE : NOTHING);
        }
        return findings;
    }

    private static final String FINDING = "finding";
    private static final String EXCEL_VALUE = "Excel value";
    private static final String NOTHING = "nothing";

    /**
     * Runs a scan the way the file reader does, over bytes that arrive {@code chunk} at a time, and says
     * per line whether it stopped at a finding, else at an Excel value (scanning on past it), else at neither.
     */
    private static List<String> decide(Scan scan, byte[] bytes, int chunk) {
        List<String> findings = new ArrayList<>();
        int available = Math.min(chunk, bytes.length);
        int lineStart = 0;
        int from = 0;
        boolean found = false;
        boolean excelValue = false;
        while (lineStart < bytes.length) {
            boolean finalEnd = available == bytes.length;
            int newline;
            if (!found) {
                long stop = scan.scan(bytes, lineStart, from, available, finalEnd);
                int at = RawPrefilter.position(stop);
                if (RawPrefilter.kind(stop) == RawPrefilter.FINDING) {
                    assertThat(at).isBetween(lineStart, available - 1);
                    found = true;
                    from = at;
                    continue;
                }
                if (RawPrefilter.kind(stop) == RawPrefilter.EXCEL_VALUE) {
                    assertThat(at).isBetween(from, available - 1);
                    excelValue = true;
                    from = at + 1;
                    continue;
                }
                newline = RawPrefilter.kind(stop) == RawPrefilter.NEWLINE ? at : -1;
                if (newline < 0) {
                    assertThat(at).isBetween(from, available);
                    from = at;
                }
            } else {
                int next = ByteWords.indexOf(bytes, (byte) '\n', from, available);
                newline = next < available ? next : -1;
                if (newline < 0) {
                    from = available;
                }
            }
            if (newline >= 0) {
                findings.add(found ? FINDING : excelValue ? EXCEL_VALUE : NOTHING);
                lineStart = newline + 1;
                from = lineStart;
                found = false;
                excelValue = false;
            } else if (finalEnd) {
                findings.add(found ? FINDING : excelValue ? EXCEL_VALUE : NOTHING);
                break;
            } else {
                available = Math.min(bytes.length, available + chunk);
            }
        }
        return findings;
    }
}
