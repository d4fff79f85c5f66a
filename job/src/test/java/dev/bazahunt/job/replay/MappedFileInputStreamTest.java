package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileInputStreamTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFileFromAnyOffsetAcrossWindowsAndReadSizes() throws IOException {
        byte[] content = new byte[100_003];
        new Random(11).nextBytes(content);
        Path file = Files.write(dir.resolve("lines.json"), content);
        Random sizes = new Random(5);
        for (long window : new long[] {1, 7, 4096, 65_536, MappedFileInputStream.DEFAULT_WINDOW_BYTES}) {
            for (int from : new int[] {0, 1, 4095, 4096, 99_999, 100_003}) {
                ByteArrayOutputStream read = new ByteArrayOutputStream();
                try (MappedFileInputStream in = new MappedFileInputStream(file, from, window)) {
                    byte[] buffer = new byte[9000];
                    int count;
                    while ((count = in.read(buffer, 3, 1 + sizes.nextInt(buffer.length - 3))) >= 0) {
                        read.write(buffer, 3, count);
                    }
                    assertThat(in.read()).isEqualTo(-1);
                }
                assertThat(read.toByteArray()).as("window %d from %d", window, from)
                        .isEqualTo(Arrays.copyOfRange(content, from, content.length));
            }
        }
    }

    @Test
    void readsSingleBytesAndSkips() throws IOException {
        Path file = Files.write(dir.resolve("short.json"), new byte[] {'{', '}', '\n', (byte) 0xE9});
        try (MappedFileInputStream in = new MappedFileInputStream(file, 1, 2)) {
            assertThat(in.read()).isEqualTo('}');
            assertThat(in.skip(1)).isEqualTo(1);
            assertThat(in.read()).isEqualTo(0xE9);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[4], 0, 0)).isZero();
        }
    }

    @Test
    void aFileThatShrinksWhileMappedFailsTheReadWithAnIoException() throws IOException {
        // A read of pages the file no longer has faults; the JVM raises an InternalError, which Flink
        // would take as fatal to the whole TaskManager. The stream makes it an IOException.
        Path file = Files.write(dir.resolve("rotated.json"), new byte[1 << 20]);
        try (MappedFileInputStream in = new MappedFileInputStream(file, 0)) {
            byte[] buffer = new byte[4096];
            assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(buffer.length);
            try (RandomAccessFile truncate = new RandomAccessFile(file.toFile(), "rw")) {
                truncate.setLength(0);
            }
            assertThatThrownBy(() -> {
                while (in.read(buffer, 0, buffer.length) >= 0) {
                    // read on into the lost pages
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("changed while it was read");
        }
    }

    @Test
    void onlyTheFaultOfAMappedReadBecomesAnIoException() {
        InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation");
        assertThat(MappedFileInputStream.asIoException("export.json", fault)).hasCause(fault)
                .hasMessageContaining("export.json changed while it was read");
        InternalError other = new InternalError("something else");
        assertThatThrownBy(() -> MappedFileInputStream.asIoException("export.json", other)).isSameAs(other);
    }
}
