package dev.bazahunt.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.EmailEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pack's alerts: one per initiating process instance (per message for the email rule), with the
 * rule file's metadata and the columns of the row's table, whatever the order of the rows.
 */
class PackAlertsTest {
    private static final String EMAILS = "54f12c74-fb8e-4871-a13f-4da835b319a7";
    private static final String RUNDLL = "d0831db3-009f-40bb-9f82-c66b1f9674cd";
    private static final String NTDS = "2a03d94e-991b-44f7-a2b3-e12ce6fd6c57";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuleCatalog catalog = RuleCatalog.standard();
    private final AlertAssembler assembler = new AlertAssembler(catalog);

    @Test
    void theLureRaisesOneAlertPerMessageListingEveryRecipient() throws Exception {
        DownloadRow toJane = DownloadRow.from(lure("j.doe@contoso.com", 1), EMAILS);
        DownloadRow toMark = DownloadRow.from(lure("m.hollis@contoso.com", 2), EMAILS);
        assertThat(toJane.alertKey()).isEqualTo(toMark.alertKey());

        Alert alert = assembler.ruleAlert(EMAILS, List.of(toMark, toJane), 1);
        assertThat(assembler.ruleAlert(EMAILS, List.of(toJane, toMark), 1)).usingRecursiveComparison().isEqualTo(alert);
        assertThat(alert.alertId).isEqualTo(AlertIds.of(EMAILS, "message|9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b"));
        assertThat(alert.ruleName).isEqualTo("Bazacall Emails");
        assertThat(alert.severity).isEqualTo("Medium");
        assertThat(alert.deviceId).isNull();
        assertThat(alert.networkMessageId).isEqualTo("9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b");
        assertThat(alert.recipients).containsExactly("j.doe@contoso.com", "m.hollis@contoso.com");
        assertThat(alert.subject).isEqualTo("Your free trial KMR004215896311 is about to end");
        assertThat(alert.techniques).containsExactly("T1566.004");
        assertThat(alert.campaign).as("Campaign marks correlated alerts and incidents").isNull();
        JsonNode json = JSON.readTree(AlertJson.write(alert));
        assertThat(json.has("DeviceId")).isFalse();
        assertThat(json.has("DroppedFiles")).isFalse();
    }

    @Test
    void aProcessRuleRaisesOneAlertPerInitiatingProcessWithItsRows() {
        DeviceProcessEvent first = ntdsutil(1, "ntdsutil \"ac i ntds\" ifm \"create full C:\\Temp\\IFM\" q q");
        DeviceProcessEvent second = ntdsutil(2, "ntdsutil \"ac i ntds\" ifm \"create full C:\\PerfLogs\\x\" q q");
        List<DownloadRow> rows = List.of(DownloadRow.from(second, NTDS), DownloadRow.from(first, NTDS));
        assertThat(rows.get(0).alertKey()).isEqualTo(rows.get(1).alertKey());

        Alert alert = assembler.ruleAlert(NTDS, rows, 1);
        assertThat(alert.initiatingProcessId).isEqualTo(4120L);
        assertThat(alert.initiatingProcessFileName).isEqualTo("cmd.exe");
        assertThat(alert.reportIds).containsExactly(1L, 2L);
        assertThat(alert.droppedFiles).isNull();
        assertThat(alert.matchedRows).extracting(row -> row.processCommandLine)
                .containsExactly(first.processCommandLine, second.processCommandLine);
        assertThat(alert.matchedRows).extracting(row -> row.fileName).containsOnly("ntdsutil.exe");
        assertThat(alert.techniques).containsExactly("T1003.003");
        assertThat(alert.tactics).containsExactly("CredentialAccess");
    }

    @Test
    void aNetworkRuleNamesTheRemoteEndOfEachConnection() {
        DeviceNetworkEvent beacon = new DeviceNetworkEvent();
        beacon.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        beacon.timestamp = 1_626_790_600_000_000_000L;
        beacon.reportId = 18700L;
        beacon.initiatingProcessFileName = "rundll32.exe";
        beacon.initiatingProcessCommandLine = "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut";
        beacon.initiatingProcessId = 7388L;
        beacon.initiatingProcessCreationTime = 1_626_790_530_438_000_000L;
        beacon.remoteIP = "198.51.100.23";
        beacon.remotePort = 443L;

        Alert alert = assembler.ruleAlert(RUNDLL, List.of(DownloadRow.from(beacon, RUNDLL)), 1);
        assertThat(alert.ruleName).isEqualTo("RunDLL Suspicious Network Connection");
        assertThat(alert.matchedRows).singleElement().satisfies(row -> {
            assertThat(row.remoteIP).isEqualTo("198.51.100.23");
            assertThat(row.remotePort).isEqualTo(443L);
        });
        assertThat(alert.initiatingProcessCommandLine).endsWith(",GlobalOut");
    }

    private static EmailEvent lure(String recipient, long offset) {
        EmailEvent email = new EmailEvent();
        email.timestamp = 1_626_768_131_000_000_000L + offset;
        email.networkMessageId = "9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b";
        email.recipientEmailAddress = recipient;
        email.senderFromAddress = "billing@renewals-center.example";
        email.subject = "Your free trial KMR004215896311 is about to end";
        return email;
    }

    private static DeviceProcessEvent ntdsutil(long reportId, String commandLine) {
        DeviceProcessEvent process = new DeviceProcessEvent();
        process.deviceId = "c7d1e2f3a4b5968778695a4b3c2d1e0f9a8b7c6d";
        process.deviceName = "dc01.contoso.local";
        process.timestamp = 1_626_800_000_000_000_000L + reportId;
        process.reportId = reportId;
        process.fileName = "ntdsutil.exe";
        process.processCommandLine = commandLine;
        process.initiatingProcessFileName = "cmd.exe";
        process.initiatingProcessId = 4120L;
        process.initiatingProcessCreationTime = 1_626_799_990_000_000_000L;
        return process;
    }
}
