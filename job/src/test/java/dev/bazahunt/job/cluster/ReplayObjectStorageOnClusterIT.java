package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.replay.ReplayHarness;
import dev.bazahunt.job.testing.DefenderStorageExport;
import dev.bazahunt.job.testing.LauncherProcess;
import dev.bazahunt.job.testing.LocalFlinkCluster;
import dev.bazahunt.job.testing.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month's export replayed on a cluster, as the README's walkthrough does it: the local standalone
 * cluster with two TaskManagers (deploy/local/flink-cluster.sh, with the S3 endpoint as -D options and
 * the keys in its environment), s3proxy from deploy/local/objectstore.sh holding the testdata in
 * Defender's Storage layout, and {@code replay --jobmanager} reading s3:// and writing the alerts and
 * dead letters to s3://. The client lists the export; the TaskManagers read and write it.
 *
 * <p>An integration test (failsafe, after {@code package}): it ships the shaded jar and the plugins.
 */
class ReplayObjectStorageOnClusterIT {
    private static final Path GOLDEN = ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl");
    private static final String BUCKET = "defender-exports";

    @TempDir
    static Path temp;

    private static LocalObjectStore store;
    private static LocalFlinkCluster cluster;
    private static List<DefenderStorageExport.Blob> blobs;

    @BeforeAll
    static void startStoreAndCluster() throws Exception {
        store = LocalObjectStore.start(Path.of("target/objectstore-cluster-it").toAbsolutePath(), false);
        blobs = DefenderStorageExport.uploadTo(store, BUCKET, "continuous-export", temp.resolve("export"));
        cluster = LocalFlinkCluster.start(temp.resolve("flink"), 2, store.s3Options(), store.credentials());
    }

    @AfterAll
    static void stopClusterAndStore() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    private static LauncherProcess.Run replay(String outputKey, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--jobmanager", cluster.jobManagerAddress(),
                "--input", "s3://" + BUCKET + "/continuous-export", "--output", "s3://" + BUCKET + "/" + outputKey,
                "--parallelism", "2"));
        args.addAll(store.s3Options());
        args.addAll(List.of(extra));
        return LauncherProcess.run(store.credentials(),
                List.of("-Dbazahunt.job.jar=" + LocalFlinkCluster.shadedJobJar()), args);
    }

    @Test
    void theClusterReadsTheExportFromS3AndWritesTheGoldenAlertsThere() throws Exception {
        LauncherProcess.Run run = replay("cluster-all/alerts.jsonl");

        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(Files.readAllBytes(store.objectFile(BUCKET, "cluster-all/alerts.jsonl")))
                .isEqualTo(Files.readAllBytes(GOLDEN));
        // The truncated blob's cut line, written by a TaskManager as a part file on s3://.
        assertThat(ReplayHarness.partLines(store.objectFile(BUCKET, "cluster-all/alerts.jsonl.dead-letters")))
                .singleElement().satisfies(letter -> assertThat(letter).contains("malformed-json",
                        "s3://" + BUCKET + "/continuous-export/" + DefenderStorageExport.TRUNCATED_BLOB));
        assertThat(run.stderr()).containsPattern("blobs\\s+" + blobs.size() + " listed, 0 pruned")
                .contains("deviceregistryevents");
        assertThat(cluster.get("/jobs/overview").toString()).contains("bazahunt replay");
    }

    @Test
    void fromAndUntilPruneTheBlobsOnTheClusterToo() throws Exception {
        LauncherProcess.Run run = replay("cluster-range/alerts.jsonl", "--from",
                DefenderStorageExport.RANGE_FROM.toString(), "--until", DefenderStorageExport.RANGE_UNTIL.toString(),
                "--max-ingestion-delay", DefenderStorageExport.RANGE_MAX_INGESTION_DELAY);

        assertThat(run.code()).as(run.stderr()).isZero();
        List<String> expected = DefenderStorageExport.goldenAlertsOfDownloadsIn(DefenderStorageExport.RANGE_FROM,
                DefenderStorageExport.RANGE_UNTIL);
        assertThat(Files.readAllLines(store.objectFile(BUCKET, "cluster-range/alerts.jsonl"))).isEqualTo(expected);
        long read = DefenderStorageExport.blobsReadForTheRange(blobs);
        Matcher counts = Pattern.compile("blobs\\s+(\\d+) listed, (\\d+) pruned \\(outside the range\\), (\\d+) read")
                .matcher(run.stderr());
        assertThat(counts.find()).as(run.stderr()).isTrue();
        assertThat(Long.parseLong(counts.group(3))).isEqualTo(read).isLessThan(blobs.size());
    }
}
