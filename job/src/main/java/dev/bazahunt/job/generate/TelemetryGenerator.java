package dev.bazahunt.job.generate;

import dev.bazahunt.job.pipeline.HuntSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a day of synthetic fleet telemetry with planted BazaCall chains, and the alert counts a
 * replay must find in it. The same settings always give the same bytes: one seeded random stream
 * drives every choice, in a fixed order.
 *
 * <p>Rows are written in random time order and spread over the files at random, as exports are.
 * Chains land on distinct devices, between 04:00 and 20:00. Excel children that are not BazaCall
 * land either on devices without a chain or at least 45 minutes from their device's download, so
 * they never fall inside a 30-minute correlation window and the expected counts are exact.
 */
public final class TelemetryGenerator {
    static final long DAY_START = Instant.parse("2021-07-20T00:00:00Z").getEpochSecond() * FleetActivity.SECOND;
    private static final long HOUR = 60 * FleetActivity.MINUTE;
    private static final long DAY = 24 * HOUR;
    /** Noise mix, in parts per 10,000 rows. */
    private static final int BENIGN_EXCEL_CHILD = 25;
    private static final int CRYPTNET_DECOY = BENIGN_EXCEL_CHILD + 300;
    private static final int ADMIN_CERTUTIL = CRYPTNET_DECOY + 10;
    private static final int EXCEL_TEMP_FILE = ADMIN_CERTUTIL + 100;
    private static final int BENIGN_FILE = EXCEL_TEMP_FILE + 5500;
    /** Event Hubs messages carry 1 to this many records. */
    private static final int MAX_RECORDS_PER_MESSAGE = 4;
    private static final long FAR_FROM_DOWNLOAD = 45 * FleetActivity.MINUTE;

    private final GeneratorSettings settings;
    private final SplittableRandom random;
    private final FleetActivity fleet;
    private final List<Device> devices = new ArrayList<>();
    /** For each device, its chain's download time, or Long.MIN_VALUE. */
    private long[] downloadAt;
    private long benignExcelChildren;

    private TelemetryGenerator(GeneratorSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.fleet = new FleetActivity(random);
    }

    public static ExpectedCounts generate(GeneratorSettings settings) throws IOException {
        return new TelemetryGenerator(settings).run();
    }

    private ExpectedCounts run() throws IOException {
        Path dir = settings.telemetryDir();
        Files.createDirectories(dir);
        try (var existing = Files.list(dir)) {
            if (existing.findAny().isPresent()) {
                throw new IOException(dir + " is not empty: remove it or choose another --output");
            }
        }
        for (int i = 0; i < settings.devices(); i++) {
            devices.add(Device.random(i, random));
        }
        List<GeneratedRow> planted = plantChains();

        List<TelemetryFileWriter> writers = new ArrayList<>();
        try {
            for (int f = 0; f < settings.files(); f++) {
                writers.add(new TelemetryFileWriter(
                        dir.resolve(String.format("part-%05d.%s", f, settings.form().fileExtension())), settings.form()));
            }
            writeRows(planted, writers);
        } finally {
            for (TelemetryFileWriter writer : writers) {
                writer.close();
            }
        }
        long lines = writers.stream().mapToLong(TelemetryFileWriter::lines).sum();
        long bytes = writers.stream().mapToLong(TelemetryFileWriter::bytes).sum();
        long urlcacheLines = writers.stream().mapToLong(TelemetryFileWriter::linesWithUrlcache).sum();
        ExpectedCounts expected = new ExpectedCounts(settings.form().optionValue(), settings.seed(),
                settings.events(), settings.devices(), settings.chains(), settings.files(), lines, bytes,
                // Per chain, with the whole pack: two base alerts (the faithful rule's download, Excel Macro
                // Execution's cmd that copies certutil), one correlated alert, four matched rows (three
                // written files, one process), and one campaign incident of two stages.
                HuntSettings.DEFAULT_WINDOW.toString(), 2L * settings.chains(), settings.chains(), 4L * settings.chains(),
                2L * settings.chains() + benignExcelChildren, urlcacheLines, settings.chains());
        expected.write(settings.expectedFile());
        return expected;
    }

    /** The chains' rows, shuffled; each chain on its own device. */
    private List<GeneratedRow> plantChains() {
        downloadAt = new long[devices.size()];
        java.util.Arrays.fill(downloadAt, Long.MIN_VALUE);
        int[] order = new int[devices.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<GeneratedRow> rows = new ArrayList<>();
        for (int k = 0; k < settings.chains(); k++) {
            int pick = k + random.nextInt(order.length - k);
            int device = order[pick];
            order[pick] = order[k];
            order[k] = device;
            downloadAt[device] = DAY_START + 4 * HOUR + random.nextLong(16 * HOUR);
            rows.addAll(fleet.bazaCallChain(devices.get(device), downloadAt[device]));
        }
        for (int i = rows.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            GeneratedRow swap = rows.get(i);
            rows.set(i, rows.get(j));
            rows.set(j, swap);
        }
        return rows;
    }

    /** Interleaves the planted rows with noise at random positions, unit by unit, file by file. */
    private void writeRows(List<GeneratedRow> planted, List<TelemetryFileWriter> writers) throws IOException {
        long remainingSlots = settings.events();
        int nextPlanted = 0;
        List<GeneratedRow> unit = new ArrayList<>(MAX_RECORDS_PER_MESSAGE);
        long[] received = new long[MAX_RECORDS_PER_MESSAGE];
        while (remainingSlots > 0) {
            int size = settings.form() == WireForm.EVENTHUBS
                    ? (int) Math.min(remainingSlots, 1 + random.nextInt(MAX_RECORDS_PER_MESSAGE))
                    : 1;
            unit.clear();
            for (int i = 0; i < size; i++) {
                int plantedLeft = planted.size() - nextPlanted;
                GeneratedRow row = random.nextLong(remainingSlots) < plantedLeft ? planted.get(nextPlanted++) : noise();
                unit.add(row);
                // Defender receives a row seconds to minutes after it happened.
                received[i] = row.timestampNanos() + (5 + random.nextInt(120)) * FleetActivity.SECOND;
                remainingSlots--;
            }
            writers.get(random.nextInt(writers.size())).write(unit, received);
        }
    }

    private GeneratedRow noise() {
        int deviceIndex = random.nextInt(devices.size());
        Device device = devices.get(deviceIndex);
        long timestamp = DAY_START + random.nextLong(DAY);
        int kind = random.nextInt(10_000);
        if (kind < BENIGN_EXCEL_CHILD) {
            benignExcelChildren++;
            long download = downloadAt[deviceIndex];
            if (download != Long.MIN_VALUE) {
                // Chains sit between 04:00 and 20:00, so 45 minutes to 3 hours either way stays in the day.
                long distance = FAR_FROM_DOWNLOAD + random.nextLong(135 * FleetActivity.MINUTE);
                timestamp = random.nextBoolean() ? download + distance : download - distance;
            }
            return fleet.benignExcelChild(device, timestamp);
        }
        if (kind < CRYPTNET_DECOY) {
            return fleet.cryptnetDecoy(device, timestamp);
        }
        if (kind < ADMIN_CERTUTIL) {
            return fleet.adminCertutilDownload(device, timestamp);
        }
        if (kind < EXCEL_TEMP_FILE) {
            return fleet.excelWritesTempFile(device, timestamp);
        }
        if (kind < BENIGN_FILE) {
            return fleet.benignFileWrite(device, timestamp);
        }
        return fleet.benignProcess(device, timestamp);
    }
}
