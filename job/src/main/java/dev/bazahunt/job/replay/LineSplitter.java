package dev.bazahunt.job.replay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream on '\n' without decoding it. A trailing '\r' stays in the line; the parser
 * treats it as JSON whitespace. Lines beyond {@code maxLineBytes} are cut there and flagged, and the
 * rest of such a line is skipped.
 */
final class LineSplitter implements Closeable {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean endOfStream;

    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean truncated;

    LineSplitter(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        lineLength = 0;
        truncated = false;
        boolean sawAnything = false;
        while (true) {
            if (position == limit) {
                if (!fill()) {
                    return sawAnything;
                }
            }
            sawAnything = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(start, position - start);
            if (position < limit) {
                position++; // consume the '\n'
                return true;
            }
        }
    }

    byte[] copyOfLine() {
        return Arrays.copyOf(line, lineLength);
    }

    /** The current line is the first {@link #lineLength()} bytes of this buffer, until {@link #next()}. */
    byte[] lineBuffer() {
        return line;
    }

    int lineLength() {
        return lineLength;
    }

    boolean truncated() {
        return truncated;
    }

    private void append(int from, int length) {
        int room = maxLineBytes - lineLength;
        if (length > room) {
            truncated = true;
            length = Math.max(room, 0);
        }
        if (length == 0) {
            return;
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(buffer, from, line, lineLength, length);
        lineLength += length;
    }

    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            endOfStream = read < 0;
            if (read == 0) {
                return fill();
            }
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
