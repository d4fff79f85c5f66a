package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules a hunt runs: the default pack, a --rules subset, and what they read. */
class HuntRulesTest {
    private final RuleCatalog catalog = RuleCatalog.standard();

    @Test
    void theDefaultIsEveryRuleFileThatRunsItsQuery() {
        assertThat(HuntRules.defaultIds(catalog)).hasSize(8).contains(RuleIds.CERTUTIL_DOWNLOAD)
                .doesNotContain(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, RuleIds.BAZACALL_CORRELATION,
                        RuleIds.BAZACALL_CAMPAIGN_INCIDENT);
    }

    @Test
    void aSubsetRunsOnlyItsRulesAndOffersARowOnlyToItsTablesRules() {
        HuntRules seed = HuntRules.select(catalog, List.of(RuleIds.CERTUTIL_DOWNLOAD));
        assertThat(seed.forTable(DefenderTable.DEVICE_FILE_EVENTS)).extracting(HuntRules.CompiledRule::id)
                .containsExactly(RuleIds.CERTUTIL_DOWNLOAD);
        assertThat(seed.forTable(DefenderTable.DEVICE_PROCESS_EVENTS)).isEmpty();
        assertThat(seed.forTable(DefenderTable.EMAIL_EVENTS)).isEmpty();
        DeviceFileEvent delivery = new DeviceFileEvent();
        delivery.fileOriginUrl = "https://bomovie.net/cancel.php";
        delivery.fileOriginReferrerUrl = "https://bomovie.net/account";
        assertThat(seed.matching(delivery)).isEmpty();
        assertThat(HuntRules.standard().matching(delivery)).containsExactly("6fa3cf44-517f-4ce5-8727-948b0783b507");
    }

    @Test
    void theTablesTheRulesReadIncludeTheCorrelationsAndTheHardenedRulesWhenTheyRun() {
        HuntRules seed = HuntRules.select(catalog, List.of(RuleIds.CERTUTIL_DOWNLOAD));
        assertThat(seed.tablesRead(false)).containsExactlyInAnyOrder(DefenderTable.DEVICE_FILE_EVENTS,
                DefenderTable.DEVICE_PROCESS_EVENTS); // the correlation's Excel children
        HuntRules rclone = HuntRules.select(catalog, List.of("2b2e8b89-ba54-48f9-a24f-b9ae16a7ef6d"));
        assertThat(rclone.tablesRead(false)).containsExactly(DefenderTable.DEVICE_PROCESS_EVENTS);
        assertThat(rclone.tablesRead(true)).containsExactlyInAnyOrder(DefenderTable.DEVICE_PROCESS_EVENTS,
                DefenderTable.DEVICE_FILE_EVENTS);
        assertThat(HuntRules.standard().tablesRead(false)).containsExactlyInAnyOrderElementsOf(DefenderTable.hunted());
    }

    @Test
    void theColumnsTheRulesReadComeFromTheirCompiledQueries() {
        assertThat(HuntRules.standard().columnsRead().get(DefenderTable.EMAIL_EVENTS)).containsExactly("Subject");
        assertThat(HuntRules.select(catalog, List.of(RuleIds.CERTUTIL_DOWNLOAD)).columnsRead())
                .containsOnlyKeys(DefenderTable.DEVICE_FILE_EVENTS);
        assertThat(HuntRules.standard().columnsRead().get(DefenderTable.DEVICE_PROCESS_EVENTS))
                .containsExactly("FileName", "InitiatingProcessFileName", "ProcessCommandLine",
                        "ProcessVersionInfoProductName");
    }

    @Test
    void aRuleThatCannotBeSelectedIsRefusedWithTheRulesThatCan() {
        assertThatThrownBy(() -> HuntRules.select(catalog, List.of(RuleIds.BAZACALL_CORRELATION)))
                .hasMessageContaining("'" + RuleIds.BAZACALL_CORRELATION + "' is not a rule that can be selected")
                .hasMessageContaining("2a03d94e-991b-44f7-a2b3-e12ce6fd6c57 (NTDS theft)");
        assertThatThrownBy(() -> HuntRules.select(catalog, List.of())).hasMessage("no rules selected");
    }
}
