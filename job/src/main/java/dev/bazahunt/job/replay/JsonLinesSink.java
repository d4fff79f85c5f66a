package dev.bazahunt.job.replay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Writes JSON lines through Flink's {@link FileSystem}, so the same sink writes to {@code file://},
 * {@code s3://}, {@code wasbs://}, {@code hdfs://}. Either one file, written by one subtask in the order
 * its input arrives (the sorted alerts), or one part file per subtask in a directory (dead letters and
 * audit lines, any number of them). Lines stream through a small buffer, so memory stays bounded.
 *
 * <p>Each file is written under a hidden in-progress name and renamed when the input has ended, so a
 * reader never takes a half-written file for the result, and a restarted subtask simply writes it anew.
 * The sink needs no {@code RecoverableWriter}: it works on every filesystem Flink can create files on.
 */
public final class JsonLinesSink implements Sink<String> {
    private static final long serialVersionUID = 1L;
    /** Part files are named part-00000.jsonl, part-00001.jsonl, ... after the writing subtask. */
    static final String PART_PREFIX = "part-";
    static final String PART_SUFFIX = ".jsonl";

    private final Path target;
    private final boolean partFiles;

    private JsonLinesSink(Path target, boolean partFiles) {
        this.target = target;
        this.partFiles = partFiles;
    }

    /** One file at {@code file}; run it at parallelism 1. It is written even when no line arrives. */
    public static JsonLinesSink singleFile(Path file) {
        return new JsonLinesSink(file, false);
    }

    /** A part file per subtask in {@code directory}, created at its first line. */
    public static JsonLinesSink partFiles(Path directory) {
        return new JsonLinesSink(directory, true);
    }

    static String partName(int subtask) {
        return String.format("%s%05d%s", PART_PREFIX, subtask, PART_SUFFIX);
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        if (!partFiles && context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("the single-file sink for " + target + " must run at parallelism 1");
        }
        Path file = partFiles ? new Path(target, partName(subtask)) : target;
        LineWriter writer = new LineWriter(file);
        if (!partFiles) {
            writer.open();
        }
        return writer;
    }

    private static final class LineWriter implements SinkWriter<String> {
        private final Path file;
        private final Path inProgress;
        private FileSystem fs;
        private OutputStream out;
        private boolean finished;

        LineWriter(Path file) {
            this.file = file;
            this.inProgress = new Path(file.getParent(), "." + file.getName() + ".inprogress");
        }

        void open() throws IOException {
            fs = file.getFileSystem();
            // On Azure Blob Storage (wasb://) this creates the container, which must exist before the
            // first write: hadoop-azure fails with a NullPointerException otherwise.
            fs.mkdirs(file.getParent());
            out = new BufferedOutputStream(fs.create(inProgress, FileSystem.WriteMode.OVERWRITE), 1 << 16);
        }

        @Override
        public void write(String line, Context context) throws IOException {
            if (out == null) {
                open();
            }
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (!endOfInput || out == null || finished) {
                return;
            }
            out.close();
            out = null;
            if (fs.exists(file)) {
                fs.delete(file, false);
            }
            if (!fs.rename(inProgress, file)) {
                throw new IOException("could not rename " + inProgress + " to " + file);
            }
            finished = true;
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                // The input did not end: a failure or a cancellation. Leave no half-written file behind.
                out.close();
                out = null;
                fs.delete(inProgress, false);
            }
        }
    }
}
