package dev.bazahunt.job.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.EventTimes;
import dev.bazahunt.job.cli.FlinkConfigOptions;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.PathArgument;
import dev.bazahunt.job.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths as Flink URIs, -D options, credentials, event times and Defender's export layout. */
class StorageOptionsTest {
    private static final List<OptionSpec> SPECS = List.of(OptionSpec.optional("from", "TIME", "from"),
            OptionSpec.FLINK_CONFIG);

    @TempDir
    Path temp;

    private static Configuration flink(Map<String, String> environment, String... args) throws UsageException {
        return FlinkConfigOptions.from(CommandLine.parse(args, SPECS), environment);
    }

    @Test
    void dashDTakesKeyValueJoinedOrSeparateAndRepeated() throws Exception {
        Configuration config = flink(Map.of(), "-Ds3.endpoint=http://127.0.0.1:9000", "-D", "s3.path.style.access=true",
                "-D", "fs.azure.storage.emulator.account.name=storageemulator");
        assertThat(config.toMap()).containsEntry("s3.endpoint", "http://127.0.0.1:9000")
                .containsEntry("s3.path.style.access", "true")
                .containsEntry("fs.azure.storage.emulator.account.name", "storageemulator");
        assertThatThrownBy(() -> flink(Map.of(), "-D", "no-equals-sign")).hasMessageContaining("-D needs key=value");
    }

    @Test
    void credentialsAreRefusedOnTheCommandLineWithoutEchoingThem() {
        for (String key : List.of("s3.secret-key", "s3.access-key", "fs.s3a.secret.key",
                "fs.azure.account.key.contoso.blob.core.windows.net", "fs.azure.sas.exports.contoso.blob.core.windows.net")) {
            assertThatThrownBy(() -> flink(Map.of(), "-D" + key + "=hunter2"))
                    .as(key).isInstanceOf(UsageException.class)
                    .hasMessageContaining("credentials are not taken on the command line")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void credentialsComeFromTheEnvironmentOrTheConfigFile() throws Exception {
        Configuration azure = flink(Map.of("AZURE_STORAGE_ACCOUNT", "contoso", "AZURE_STORAGE_KEY", "a2V5"));
        assertThat(azure.toMap()).containsEntry("fs.azure.account.key.contoso.blob.core.windows.net", "a2V5")
                .containsEntry("fs.azure.account.key.contoso.dfs.core.windows.net", "a2V5");

        Files.writeString(temp.resolve("config.yaml"), "s3:\n  access-key: AKIAEXAMPLE\n  secret-key: from-a-file\n");
        Configuration file = flink(Map.of("FLINK_CONF_DIR", temp.toString()), "-Ds3.endpoint=http://minio:9000");
        assertThat(file.toMap()).containsEntry("s3.secret-key", "from-a-file").containsEntry("s3.endpoint", "http://minio:9000");
    }

    @Test
    void plainPathsAreLocalFilesAndUrisKeepTheirScheme() throws Exception {
        assertThat(PathArgument.parse("input", "relative/dir").toUri().getScheme()).isEqualTo("file");
        assertThat(PathArgument.parse("input", "relative/dir").toUri().getPath())
                .isEqualTo(Path.of("relative/dir").toAbsolutePath().toString());
        assertThat(PathArgument.parse("input", "s3://defender-exports/2021/").toUri().getAuthority())
                .isEqualTo("defender-exports");
        assertThat(PathArgument.parse("output", "wasbs://alerts@contoso.blob.core.windows.net/run1/alerts.jsonl")
                .toUri().getScheme()).isEqualTo("wasbs");
        assertThat(PathArgument.parse("input", "abfss://exports@contoso.dfs.core.windows.net/").toUri().getScheme())
                .isEqualTo("abfss");
    }

    @Test
    void eventTimesAreIsoInstantsDateTimesInUtcOrDates() throws Exception {
        List<OptionSpec> specs = List.of(OptionSpec.optional("from", "TIME", "from"));
        assertThat(EventTimes.parse(CommandLine.parse(new String[] {"--from", "2021-07-01"}, specs), "from"))
                .isEqualTo(Instant.parse("2021-07-01T00:00:00Z"));
        assertThat(EventTimes.parse(CommandLine.parse(new String[] {"--from", "2021-07-01T08:00:00+02:00"}, specs), "from"))
                .isEqualTo(Instant.parse("2021-07-01T06:00:00Z"));
        assertThat(EventTimes.parse(CommandLine.parse(new String[] {"--from", "2021-07-01T08:00"}, specs), "from"))
                .isEqualTo(Instant.parse("2021-07-01T08:00:00Z"));
        assertThatThrownBy(() -> EventTimes.parse(CommandLine.parse(new String[] {"--from", "July 1st"}, specs), "from"))
                .hasMessageContaining("--from must be an ISO-8601 date");
    }

    @Test
    void theLayoutsDateFoldersGiveTheReceiptSpanAndTheMinuteFolderIsNotAMonth() {
        String blob = "/exports/insights-logs-advancedhunting-DeviceFileEvents/tenantId=3f2b/y=2021/m=07/d=21/h=09/m=00/PT1H.json";
        assertThat(DefenderExportLayout.containerTable(blob)).isEqualTo("devicefileevents");
        assertThat(DefenderExportLayout.receiptSpan(blob)).isEqualTo(new DefenderExportLayout.ReceiptSpan(
                Instant.parse("2021-07-21T09:00:00Z"), Instant.parse("2021-07-21T10:00:00Z")));
        assertThat(DefenderExportLayout.receiptSpan("/x/y=2021/m=02")).isEqualTo(new DefenderExportLayout.ReceiptSpan(
                Instant.parse("2021-02-01T00:00:00Z"), Instant.parse("2021-03-01T00:00:00Z")));
        assertThat(DefenderExportLayout.receiptSpan("/x/y=2021/m=02/d=30/h=00")).isNull();
        assertThat(DefenderExportLayout.receiptSpan("/exports/DeviceFileEvents-2021-07.jsonl")).isNull();
    }

    @Test
    void aBlobIsPrunedOnlyWhenNoRowItCanHoldIsWithinTheWindowOfTheRange() {
        ExportPruning pruning = new ExportPruning(Set.of("devicefileevents"), Instant.parse("2021-07-21T12:00:00Z"),
                Instant.parse("2021-07-22T00:00:00Z"), Duration.ofMinutes(30), Duration.ofDays(7));
        String container = "/e/insights-logs-advancedhunting-devicefileevents/tenantId=t/";
        // Received 11:00-12:00: rows up to 11:59:59 can correlate with a download at 12:00 (window 30 min).
        assertThat(pruning.outsideRange(container + "y=2021/m=07/d=21/h=11/m=00/PT1H.json")).isFalse();
        // Received 10:00-11:00: rows before 11:00, earlier than 11:30, can matter to nothing in the range.
        assertThat(pruning.outsideRange(container + "y=2021/m=07/d=21/h=10/m=00/PT1H.json")).isTrue();
        // Received a week after the range: rows may have happened up to 7 days before receipt.
        assertThat(pruning.outsideRange(container + "y=2021/m=07/d=28/h=23/m=00/PT1H.json")).isFalse();
        assertThat(pruning.outsideRange(container + "y=2021/m=07/d=29/h=01/m=00/PT1H.json")).isTrue();
        assertThat(pruning.outsideRange(container + "y=2021/m=06")).isTrue();
        assertThat(pruning.unreadTable("/e/insights-logs-advancedhunting-deviceimageloadevents/tenantId=t"))
                .isEqualTo("deviceimageloadevents");
        assertThat(pruning.unreadTable(container)).isNull();
    }
}
