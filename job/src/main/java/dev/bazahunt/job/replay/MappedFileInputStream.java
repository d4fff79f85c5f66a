package dev.bazahunt.job.replay;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file read through memory maps of one window at a time, from a given offset. Copying a
 * window's bytes into the reader's buffer is a copy in user space, where {@code read(2)} copies out of
 * the page cache in the kernel: measured here with two readers, one file each, the reader's pass went
 * from 4.7 to 5.1 GB/s per core. A window is unmapped as soon as the next one is mapped, so a long
 * replay holds at most one window per reader however large its files.
 *
 * <p>A file that shrinks while it is mapped makes a read of its lost pages fault. The JVM raises that
 * as an {@link InternalError}, which Flink treats as fatal to the TaskManager, and in compiled code it
 * raises it later, at some point after the read has returned. So each read first checks the file's
 * size and fails with an {@link IOException}, which fails the task only, before it touches a lost
 * page; {@link #asIoException} turns the error of a file that shrinks during a copy into the same.
 */
final class MappedFileInputStream extends InputStream {
    /** Bytes mapped at a time: large enough that mapping costs nothing per byte, small for the address space. */
    static final long DEFAULT_WINDOW_BYTES = 64L << 20;

    private static final Unmapper UNMAPPER = Unmapper.find();

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final long windowBytes;
    private long position;
    private MappedByteBuffer window;
    private long windowStart;

    MappedFileInputStream(Path file, long position) throws IOException {
        this(file, position, DEFAULT_WINDOW_BYTES);
    }

    MappedFileInputStream(Path file, long position, long windowBytes) throws IOException {
        if (windowBytes <= 0 || windowBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window of " + windowBytes + " bytes");
        }
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
        this.position = position;
        this.windowBytes = windowBytes;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        if (window == null || position >= windowStart + window.capacity()) {
            mapFrom(position);
        }
        int count = (int) Math.min(length, windowStart + window.capacity() - position);
        if (channel.size() < position + count) {
            throw shrunk(file, size, null);
        }
        try {
            window.get((int) (position - windowStart), bytes, offset, count);
        } catch (InternalError fault) {
            throw asIoException(file, fault);
        }
        position += count;
        return count;
    }

    /**
     * The {@link IOException} for an {@link InternalError} that a mapped file's lost pages raised, where
     * a reader of {@code file} catches it; any other InternalError is rethrown.
     */
    static IOException asIoException(Object file, InternalError error) {
        String message = error.getMessage();
        if (message == null || !message.contains("unsafe memory access")) {
            throw error;
        }
        return shrunk(file, -1, error);
    }

    private static IOException shrunk(Object file, long size, Throwable cause) {
        return new IOException(file + " changed while it was read: it is shorter than "
                + (size < 0 ? "it was" : "the " + size + " bytes it had") + " when it was opened", cause);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public long skip(long count) {
        long skipped = Math.max(0, Math.min(count, size - position));
        position += skipped;
        return skipped;
    }

    @Override
    public void close() throws IOException {
        unmapWindow();
        channel.close();
    }

    private void mapFrom(long start) throws IOException {
        unmapWindow();
        windowStart = start;
        window = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(windowBytes, size - start));
    }

    private void unmapWindow() {
        MappedByteBuffer old = window;
        window = null;
        if (old != null) {
            UNMAPPER.unmap(old);
        }
    }

    /**
     * Unmaps a buffer at once through {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, open
     * to all), or leaves it to the garbage collector where that is missing.
     */
    private record Unmapper(Object unsafe, Method invokeCleaner) {
        static Unmapper find() {
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field theUnsafe = type.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                return new Unmapper(theUnsafe.get(null), type.getMethod("invokeCleaner", ByteBuffer.class));
            } catch (ReflectiveOperationException | RuntimeException unavailable) {
                return new Unmapper(null, null);
            }
        }

        void unmap(MappedByteBuffer buffer) {
            if (invokeCleaner == null) {
                return;
            }
            try {
                invokeCleaner.invoke(unsafe, buffer);
            } catch (ReflectiveOperationException | RuntimeException unavailable) {
                // the collector unmaps it later
            }
        }
    }
}
