package dev.bazahunt.job.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.replay.ReplayHarness;
import dev.bazahunt.job.testing.DefenderStorageExport;
import dev.bazahunt.job.testing.LauncherProcess;
import dev.bazahunt.job.testing.LocalObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay from and to real object stores, embedded, the way {@code ./bazahunt} runs it: s3proxy over
 * {@code s3://} and Azurite over {@code wasb://}, both started by deploy/local/objectstore.sh, through
 * the shipped Flink plugins. The S3 keys reach the CLI only through its environment.
 *
 * <p>An integration test (failsafe, after {@code package}, which copies the plugins).
 */
class ObjectStorageReplayIT {
    private static final Path GOLDEN = ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl");
    private static final String BUCKET = "defender-exports";

    @TempDir
    static Path temp;

    private static LocalObjectStore store;
    private static List<DefenderStorageExport.Blob> blobs;

    @BeforeAll
    static void startStoresAndUploadTheExport() throws Exception {
        store = LocalObjectStore.start(Path.of("target/objectstore-it").toAbsolutePath(), true);
        blobs = DefenderStorageExport.uploadTo(store, BUCKET, "continuous-export", temp.resolve("export"));
    }

    @AfterAll
    static void stopStores() {
        FileSystem.initialize(new Configuration(), null);
        if (store != null) {
            store.close();
        }
    }

    private static LauncherProcess.Run replayOnS3(String outputKey, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--input", "s3://" + BUCKET + "/continuous-export",
                "--output", "s3://" + BUCKET + "/" + outputKey, "--parallelism", "2"));
        args.addAll(store.s3Options());
        args.addAll(List.of(extra));
        return LauncherProcess.run(store.credentials(), List.of(), args);
    }

    @Test
    void replayReadsTheExportFromS3AndWritesAlertsAndDeadLettersToS3() throws Exception {
        LauncherProcess.Run run = replayOnS3("run-all/alerts.jsonl");

        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(Files.readAllBytes(store.objectFile(BUCKET, "run-all/alerts.jsonl"))).isEqualTo(Files.readAllBytes(GOLDEN));
        // The truncated blob's cut line, written as a part file on s3:// and naming its s3:// blob.
        assertThat(ReplayHarness.partLines(store.objectFile(BUCKET, "run-all/alerts.jsonl.dead-letters"))).singleElement()
                .satisfies(letter -> assertThat(letter).contains("malformed-json",
                        "s3://" + BUCKET + "/continuous-export/" + DefenderStorageExport.TRUNCATED_BLOB));
        assertThat(run.stderr())
                .containsPattern("blobs\\s+" + blobs.size() + " listed, 0 pruned \\(outside the range\\), " + blobs.size() + " read")
                .contains("deviceregistryevents")
                .contains("alerts written to        s3://" + BUCKET + "/run-all/alerts.jsonl")
                // The keys came from the environment and are never printed.
                .doesNotContain(LocalObjectStore.SECRET_KEY);
    }

    @Test
    void fromAndUntilLeaveTheBlobsOutsideTheRangeClosedOnS3() throws Exception {

        LauncherProcess.Run run = replayOnS3("run-range/alerts.jsonl", "--from", DefenderStorageExport.RANGE_FROM.toString(),
                "--until", DefenderStorageExport.RANGE_UNTIL.toString(), "--max-ingestion-delay",
                DefenderStorageExport.RANGE_MAX_INGESTION_DELAY);

        assertThat(run.code()).as(run.stderr()).isZero();
        List<String> expected = DefenderStorageExport.goldenAlertsOfDownloadsIn(DefenderStorageExport.RANGE_FROM,
                DefenderStorageExport.RANGE_UNTIL);
        assertThat(expected).hasSize(4);
        assertThat(Files.readAllLines(store.objectFile(BUCKET, "run-range/alerts.jsonl"))).isEqualTo(expected);
        long read = DefenderStorageExport.blobsReadForTheRange(blobs);
        Matcher counts = Pattern.compile("blobs\\s+(\\d+) listed, (\\d+) pruned \\(outside the range\\), (\\d+) read")
                .matcher(run.stderr());
        assertThat(counts.find()).as(run.stderr()).isTrue();
        assertThat(Long.parseLong(counts.group(3))).isEqualTo(read).isLessThan(blobs.size());
    }

    @Test
    void replayReadsAndWritesAzureBlobStorageOverWasb() throws Exception {
        Configuration emulator = new Configuration();
        emulator.setString("fs.azure.storage.emulator.account.name", "storageemulator");
        FileSystems.initialize(emulator, LauncherProcess.PLUGINS);
        Path export = temp.resolve("export");
        String root = "wasb://exports@storageemulator/continuous-export";
        try (Stream<Path> files = Files.walk(export)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                org.apache.flink.core.fs.Path target = new org.apache.flink.core.fs.Path(root + "/"
                        + export.relativize(file).toString().replace('\\', '/'));
                FileSystem fs = target.getFileSystem();
                fs.mkdirs(target.getParent()); // creates the container on first use
                try (OutputStream out = fs.create(target, FileSystem.WriteMode.OVERWRITE)) {
                    Files.copy(file, out);
                }
            }
        }

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String previous = System.setProperty(FileSystems.PLUGINS_DIR_PROPERTY, LauncherProcess.PLUGINS.toString());
        int code;
        try {
            code = BazahuntCli.run(new String[] {"replay", "--input", root, "--output",
                    "wasb://alerts@storageemulator/run/alerts.jsonl", "--parallelism", "2",
                    "-Dfs.azure.storage.emulator.account.name=storageemulator"},
                    new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            if (previous == null) {
                System.clearProperty(FileSystems.PLUGINS_DIR_PROPERTY);
            } else {
                System.setProperty(FileSystems.PLUGINS_DIR_PROPERTY, previous);
            }
        }

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        org.apache.flink.core.fs.Path alerts = new org.apache.flink.core.fs.Path("wasb://alerts@storageemulator/run/alerts.jsonl");
        try (InputStream in = alerts.getFileSystem().open(alerts)) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(GOLDEN));
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .containsPattern("blobs\\s+" + blobs.size() + " listed, 0 pruned");
    }
}
