package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every rule file parses and carries complete, well-formed metadata, in the manner of elastic/detection-rules. */
class RuleCatalogTest {

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TECHNIQUE_ID = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    /** ATT&CK Enterprise tactics, spelled as Sentinel spells them. */
    private static final Set<String> ATTACK_TACTICS = Set.of(
            "Reconnaissance", "ResourceDevelopment", "InitialAccess", "Execution", "Persistence",
            "PrivilegeEscalation", "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement",
            "Collection", "CommandAndControl", "Exfiltration", "Impact");

    private static final String SEED_QUERY = """
            DeviceFileEvents
            | where InitiatingProcessFileName !~ "certutil.exe"
            | where InitiatingProcessFileName !~ "cmd.exe"
            | where InitiatingProcessCommandLine has_all("-urlcache", "split", "http")""";

    /**
     * The ATT&CK Enterprise techniques the rule files may name, with their names on attack.mitre.org:
     * a technique id outside this list, or a name that differs, fails, so an id must be checked there
     * before it is added.
     */
    private static final java.util.Map<String, String> ATTACK_TECHNIQUES = java.util.Map.ofEntries(
            java.util.Map.entry("T1003.003", "OS Credential Dumping: NTDS"),
            java.util.Map.entry("T1036.003", "Masquerading: Rename Legitimate Utilities"),
            java.util.Map.entry("T1059.003", "Command and Scripting Interpreter: Windows Command Shell"),
            java.util.Map.entry("T1071.001", "Application Layer Protocol: Web Protocols"),
            java.util.Map.entry("T1105", "Ingress Tool Transfer"),
            java.util.Map.entry("T1204.002", "User Execution: Malicious File"),
            java.util.Map.entry("T1218.011", "System Binary Proxy Execution: Rundll32"),
            java.util.Map.entry("T1566.004", "Phishing: Spearphishing Voice"),
            java.util.Map.entry("T1567.002", "Exfiltration Over Web Service: Exfiltration to Cloud Storage"));

    /** Microsoft's BazaCall pack as published: id, name, and the KQL each rule file must run verbatim. */
    private static final java.util.Map<String, String[]> PACK = java.util.Map.of(
            "54f12c74-fb8e-4871-a13f-4da835b319a7", new String[] {"Bazacall Emails", """
                    EmailEvents
                    | where Subject matches regex @"[A-Z]{1,3}\\d{9,15}"
                        and Subject has_any('trial', 'free', 'demo', 'membership', 'premium', 'gold', 'notification', 'notice', 'claim', 'order', 'license', 'licenses')"""},
            "6fa3cf44-517f-4ce5-8727-948b0783b507", new String[] {"Malicious Excel Delivery", """
                    DeviceFileEvents
                    | where FileOriginUrl has "/cancel.php" and FileOriginReferrerUrl has "/account"
                      or FileOriginUrl has "/download.php" and FileOriginReferrerUrl has "/case\""""},
            "1dd47f50-d42d-4e2f-9c2b-6e6c22147916", new String[] {"Excel file download domain pattern", """
                    DeviceNetworkEvents
                    | where RemoteUrl matches regex @".{14}\\.xyz/config\\.php\""""},
            "fa2c1c3a-18f8-4c83-8501-ea110873f99f", new String[] {"Excel Macro Execution", """
                    DeviceProcessEvents
                    | where InitiatingProcessFileName =~ "excel.exe"
                        and ProcessCommandLine has_all('mkdir', '&& copy', 'certutil.exe')"""},
            RuleIds.CERTUTIL_DOWNLOAD, new String[] {"Dropping payload via certutil", SEED_QUERY},
            "d0831db3-009f-40bb-9f82-c66b1f9674cd", new String[] {"RunDLL Suspicious Network Connection", """
                    DeviceNetworkEvents
                    | where InitiatingProcessFileName =~ 'rundll32.exe' and InitiatingProcessCommandLine has ",GlobalOut\""""},
            "2a03d94e-991b-44f7-a2b3-e12ce6fd6c57", new String[] {"NTDS theft", """
                    DeviceProcessEvents
                    | where FileName =~ "ntdsutil.exe"
                    | where ProcessCommandLine has_any("full", "fu")
                    | where ProcessCommandLine has_any ("temp", "perflogs", "programdata")
                    // Exclusion
                    | where ProcessCommandLine !contains @"Backup\""""},
            "2b2e8b89-ba54-48f9-a24f-b9ae16a7ef6d", new String[] {"Renamed Rclone Exfil",
                "DeviceProcessEvents \n| where ProcessVersionInfoProductName has \"rclone\" and not(FileName has \"rclone\")"});


    private final RuleCatalog catalog = RuleCatalog.standard();

    @Test
    void everyStandardRuleFileParses() {
        assertThat(catalog.all()).hasSize(RuleCatalog.STANDARD_RULE_FILES.size());
        assertThat(catalog.all()).extracting(RuleDefinition::id)
                .containsExactly(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.CERTUTIL_DOWNLOAD_HARDENED,
                        RuleIds.BAZACALL_CORRELATION, RuleIds.BAZACALL_CAMPAIGN_INCIDENT,
                        "54f12c74-fb8e-4871-a13f-4da835b319a7", "6fa3cf44-517f-4ce5-8727-948b0783b507",
                        "1dd47f50-d42d-4e2f-9c2b-6e6c22147916", "fa2c1c3a-18f8-4c83-8501-ea110873f99f",
                        "d0831db3-009f-40bb-9f82-c66b1f9674cd", "2a03d94e-991b-44f7-a2b3-e12ce6fd6c57",
                        "2b2e8b89-ba54-48f9-a24f-b9ae16a7ef6d");

    }

    @Test
    void theCampaignIncidentRuleCarriesItsSeverityLadder() {
        RuleDefinition rule = catalog.byId(RuleIds.BAZACALL_CAMPAIGN_INCIDENT);

        assertThat(rule.campaignName()).isEqualTo("BazaCall");
        assertThat(rule.campaignStage()).as("ties stages together, shows none alone").isNull();
        assertThat(rule.incident().minimumStages()).isEqualTo(2);
        assertThat(rule.incident().severityFor(2)).isEqualTo(Severity.MEDIUM);
        assertThat(rule.incident().severityFor(3)).isEqualTo(Severity.HIGH);
        assertThat(rule.incident().severityFor(7)).isEqualTo(Severity.HIGH);
        assertThat(catalog.all()).filteredOn(other -> other.incident() != null).containsExactly(rule);
    }

    @Test
    void anIncidentSeverityThatFallsAsStagesGrowIsRefusedAtLoad() {
        String falling = validRuleYaml() + "incident:\n  minimumStages: 2\n  severityByStages:\n    2: High\n"
                + "    4: Low\n";
        assertThatThrownBy(() -> parse("falling.yaml", falling))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("falling.yaml")
                .hasMessageContaining("must not fall as stages grow: 4 stages are Low, fewer are High");
        String noMinimum = validRuleYaml() + "incident:\n  minimumStages: 2\n  severityByStages:\n    3: High\n";
        assertThatThrownBy(() -> parse("no-minimum.yaml", noMinimum))
                .hasMessageContaining("must name the minimum, 2 stages");
    }

    @Test
    void ruleIdsAreUniqueUuids() {
        List<String> ids = catalog.all().stream().map(RuleDefinition::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> UUID_SHAPE.matcher(id).matches());
    }

    @Test
    void everyTechniqueIdIsAnAttackTechniqueOrSubTechnique() {
        for (RuleDefinition rule : catalog.all()) {
            assertThat(rule.techniqueIds()).as(rule.name()).allMatch(id -> TECHNIQUE_ID.matcher(id).matches());
            rule.stageTechniques().values().forEach(stage -> assertThat(stage)
                    .as(rule.name()).allMatch(technique -> TECHNIQUE_ID.matcher(technique.id()).matches()));
        }
    }

    @Test
    void everyTechniqueIdExistsInAttackUnderItsName() {
        for (RuleDefinition rule : catalog.all()) {
            List<MitreTechnique> all = new java.util.ArrayList<>(rule.techniques());
            rule.stageTechniques().values().forEach(all::addAll);
            for (MitreTechnique technique : all) {
                assertThat(ATTACK_TECHNIQUES).as(rule.name()).containsEntry(technique.id(), technique.name());
            }
        }
    }

    @Test
    void thePackRunsMicrosoftsQueriesVerbatimUnderTheirIdsAndNames() {
        PACK.forEach((id, nameAndQuery) -> {
            RuleDefinition rule = catalog.byId(id);
            assertThat(rule.name()).isEqualTo(nameAndQuery[0]);
            assertThat(rule.query()).as(rule.name()).isEqualTo(nameAndQuery[1]);
            assertThat(rule.runsQuery()).as(rule.name()).isTrue();
            assertThat(catalog.compiledQuery(id).query().table()).isEqualTo(rule.query().substring(0,
                    rule.query().indexOf('\n')).trim());
            assertThat(rule.source().path()).isEqualTo(
                    "Hunting Queries/Microsoft 365 Defender/Campaigns/Bazacall/" + rule.name() + ".yaml");
            assertThat(rule.campaignName()).isEqualTo("BazaCall");
            assertThat(rule.campaignStage()).as(rule.name()).isNotNull();
            assertThat(rule.falsePositives()).as(rule.name()).isNotEmpty();
        });
        assertThat(catalog.all()).filteredOn(RuleDefinition::runsQuery).extracting(RuleDefinition::id)
                .containsExactlyInAnyOrderElementsOf(PACK.keySet());
    }

    @Test
    void thePackCoversEveryStageButTheCobaltStrikeJoin() {
        assertThat(catalog.all()).filteredOn(RuleDefinition::runsQuery)
                .extracting(rule -> rule.campaignStage().label())
                .containsExactlyInAnyOrder("certutil-download", "email-lure", "excel-delivery", "excel-delivery",
                        "excel-macro", "bazaloader-c2", "credential-theft", "exfiltration");
        assertThat(catalog.all()).extracting(RuleDefinition::id)
                .doesNotContain("1212ae5c-43cc-4c17-bcbb-d23cf9ad3483"); // Cobalt Strike Lateral Movement: a join
    }

    @Test
    void aQueryOutsideTheSubsetFailsAtLoadWithFileLineAndColumn() {
        String yaml = validRuleYaml().replace("query: DeviceFileEvents | take 1\n",
                "query: |-\n  DeviceFileEvents\n  | where FileName has \"x\"\n  | join kind=inner (DeviceProcessEvents) on DeviceId\n");
        RuleDefinition rule = parse("join.yaml", yaml);
        assertThatThrownBy(() -> RuleCatalog.compile("rules/join.yaml", yaml, rule))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rule file rules/join.yaml:12:5: only the 'where' operator is supported after '|', found 'join'");
        String unknownColumn = validRuleYaml().replace("query: DeviceFileEvents | take 1\n",
                "query: DeviceFileEvents | where ProcesCommandLine has 'x'\n");
        RuleDefinition typo = parse("typo.yaml", unknownColumn);
        assertThatThrownBy(() -> RuleCatalog.compile("rules/typo.yaml", unknownColumn, typo))
                .hasMessageStartingWith("rule file rules/typo.yaml:9:33: column 'ProcesCommandLine' is not a column"
                        + " of DeviceFileEvents");
    }

    @Test
    void everyTacticIsAnAttackTactic() {
        for (RuleDefinition rule : catalog.all()) {
            assertThat(rule.tactics()).as(rule.name()).isSubsetOf(ATTACK_TACTICS);
        }
    }

    @Test
    void everyRuleHasATriageGuide() {
        for (RuleDefinition rule : catalog.all()) {
            assertThat(rule.triage().investigation()).as(rule.name()).isNotEmpty();
            assertThat(rule.triage().response()).as(rule.name()).isNotEmpty();
        }
    }

    @Test
    void certutilRuleKeepsTheSentinelQueryVerbatim() {
        RuleDefinition rule = catalog.byId(RuleIds.CERTUTIL_DOWNLOAD);

        assertThat(rule.query()).isEqualTo(SEED_QUERY);
        assertThat(rule.name()).isEqualTo("Dropping payload via certutil");
        assertThat(rule.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(rule.severity().label()).isEqualTo("Medium");
        assertThat(rule.tactics()).containsExactly("InitialAccess", "DefenseEvasion");
        assertThat(rule.techniqueIds()).containsExactly("T1105", "T1036.003");
        assertThat(rule.techniques()).first().isEqualTo(new MitreTechnique("T1105", "Ingress Tool Transfer"));
        assertThat(rule.source()).isEqualTo(new RuleSource("Azure/Azure-Sentinel",
                "Hunting Queries/Microsoft 365 Defender/Campaigns/Bazacall/Dropping payload via certutil.yaml"));
    }

    @Test
    void certutilRuleCarriesTheFiveKnownFalsePositives() {
        List<FalsePositiveScenario> scenarios = catalog.byId(RuleIds.CERTUTIL_DOWNLOAD).falsePositives();

        assertThat(scenarios).hasSize(5);
        assertThat(scenarios).extracting(FalsePositiveScenario::description).anySatisfy(d -> assertThat(d)
                .contains("-generate -subject \"CN=InternalCert\""));
        assertThat(scenarios).extracting(FalsePositiveScenario::description).anySatisfy(d -> assertThat(d)
                .contains("-addstore -user TrustedRootCertStore").contains("Domain Admins"));
        assertThat(scenarios).extracting(FalsePositiveScenario::description).anySatisfy(d -> assertThat(d)
                .contains("MyInternalServiceCert"));
        assertThat(scenarios).extracting(FalsePositiveScenario::description).anySatisfy(d -> assertThat(d)
                .contains("-dspublish"));
        assertThat(scenarios).extracting(FalsePositiveScenario::description).anySatisfy(d -> assertThat(d)
                .contains("base64").contains("\"Internal\"").contains("\"Trusted\""));
    }

    @Test
    void hardenedCertutilRuleIsHighSeverityAndReferencesTheSeedScenarios() {
        RuleDefinition rule = catalog.byId(RuleIds.CERTUTIL_DOWNLOAD_HARDENED);

        assertThat(rule.name()).isEqualTo("Renamed or relocated certutil downloading a file (hardened)");
        assertThat(rule.severity()).isEqualTo(Severity.HIGH);
        assertThat(rule.techniqueIds()).containsExactly("T1105", "T1036.003");
        assertThat(rule.source()).isNull();
        assertThat(rule.query()).contains("DeviceFileEvents", "InitiatingProcessVersionInfoOriginalFileName",
                "-verifyctl", "CryptnetUrlCache").doesNotContain("has_all(\"-urlcache\", \"split\"");
        assertThat(rule.falsePositives()).extracting(FalsePositiveScenario::description).anySatisfy(d -> assertThat(d)
                .contains("seed-scenarios.yaml").contains("TrustedRootCertStore").contains("-dspublish"));
    }

    @Test
    void correlationRuleNamesItsStagesAndCompanionQueries() {
        RuleDefinition rule = catalog.byId(RuleIds.BAZACALL_CORRELATION);

        assertThat(rule.severity()).isEqualTo(Severity.HIGH);
        assertThat(rule.campaignName()).isEqualTo("BazaCall");
        assertThat(rule.campaignStage()).as("ties stages together, shows none alone").isNull();
        assertThat(rule.tactics()).containsExactly("InitialAccess", "DefenseEvasion", "Execution");
        assertThat(rule.techniqueIds()).containsExactly("T1105", "T1036.003", "T1204.002");
        assertThat(rule.stageTechniques()).containsOnlyKeys("rundll32");
        assertThat(rule.stageTechniques().get("rundll32"))
                .containsExactly(new MitreTechnique("T1218.011", "System Binary Proxy Execution: Rundll32"));
        assertThat(rule.relatedQueries()).extracting(RelatedQuery::id)
                .containsExactly("fa2c1c3a-18f8-4c83-8501-ea110873f99f", "d0831db3-009f-40bb-9f82-c66b1f9674cd");
        assertThat(rule.relatedQueries().get(0).query()).isEqualTo("""
                DeviceProcessEvents
                | where InitiatingProcessFileName =~ "excel.exe"
                    and ProcessCommandLine has_all('mkdir', '&& copy', 'certutil.exe')""");
        assertThat(rule.relatedQueries().get(1).query()).contains("has \",GlobalOut\"");
    }

    @Test
    void unknownRuleIdIsRejectedWithTheKnownIds() {
        assertThatThrownBy(() -> catalog.byId("00000000-0000-0000-0000-000000000000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("00000000-0000-0000-0000-000000000000")
                .hasMessageContaining(RuleIds.CERTUTIL_DOWNLOAD);
    }

    @Test
    void certutilRulesShowTheCertutilDownloadStageOfBazaCall() {
        for (String id : List.of(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.CERTUTIL_DOWNLOAD_HARDENED)) {
            assertThat(catalog.byId(id).campaign())
                    .isEqualTo(new CampaignMembership("BazaCall", CampaignStage.CERTUTIL_DOWNLOAD));
        }
    }

    @Test
    void campaignStageOutsideTheVocabularyFailsAtLoadWithTheVocabulary() {
        String wrongStage = validRuleYaml() + "campaign:\n  name: BazaCall\n  stage: certutil\n";
        assertThatThrownBy(() -> parse("wrong-stage.yaml", wrongStage))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong-stage.yaml")
                .hasMessageContaining("'certutil' is not a campaign stage")
                .hasMessageContaining("email-lure, excel-delivery, excel-macro, certutil-download, bazaloader-c2,"
                        + " credential-theft, exfiltration");
    }

    @Test
    void campaignStagesSortInKillChainOrder() {
        assertThat(List.of(CampaignStage.EXFILTRATION, CampaignStage.EMAIL_LURE, CampaignStage.CERTUTIL_DOWNLOAD)
                        .stream().sorted().map(CampaignStage::label))
                .containsExactly("email-lure", "certutil-download", "exfiltration");
    }

    @Test
    void malformedYamlFailsNamingTheFile() {
        assertThatThrownBy(() -> parse("broken.yaml", "id: [unclosed\nname: x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken.yaml");
    }

    @Test
    void unknownFieldFailsSoTyposDoNotDropMetadata() {
        String withTypo = validRuleYaml() + "campain: BazaCall\n";
        assertThatThrownBy(() -> parse("typo.yaml", withTypo))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("typo.yaml")
                .hasMessageContaining("campain");
    }

    @Test
    void missingRequiredFieldFailsNamingFileAndField() {
        String withoutQuery = validRuleYaml().replace("query: DeviceFileEvents | take 1\n", "");
        assertThatThrownBy(() -> parse("no-query.yaml", withoutQuery))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-query.yaml")
                .hasMessageContaining("query of rule");
    }

    @Test
    void malformedTechniqueIdFailsAtLoad() {
        String badTechnique = validRuleYaml().replace("T1105", "T105");
        assertThatThrownBy(() -> parse("bad-technique.yaml", badTechnique))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad-technique.yaml")
                .hasMessageContaining("T105");
    }

    @Test
    void minimalRuleParsesWithEmptyOptionalSections() {
        RuleDefinition rule = parse("minimal.yaml", validRuleYaml());
        assertThat(rule.falsePositives()).isEmpty();
        assertThat(rule.stageTechniques()).isEmpty();
        assertThat(rule.relatedQueries()).isEmpty();
        assertThat(rule.campaign()).isNull();
        assertThat(rule.campaignName()).isNull();
        assertThat(rule.campaignStage()).isNull();
        assertThat(rule.source()).isNull();
    }

    @Test
    void sameRuleIdInTwoFilesIsRejected() {
        List<String> twice = List.of("rules/certutil-download.yaml", "rules/certutil-download.yaml");
        assertThatThrownBy(() -> RuleCatalog.fromResources(twice))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RuleIds.CERTUTIL_DOWNLOAD);
    }

    @Test
    void missingRuleFileIsNamed() {
        assertThatThrownBy(() -> RuleCatalog.fromResources(List.of("rules/no-such-rule.yaml")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rules/no-such-rule.yaml");
    }

    @Test
    void loadedListsCannotBeModified() {
        RuleDefinition rule = catalog.byId(RuleIds.CERTUTIL_DOWNLOAD);
        assertThatThrownBy(() -> rule.tactics().add("Impact")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> catalog.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    private static RuleDefinition parse(String fileName, String yaml) {
        return RuleCatalog.parse(fileName, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String validRuleYaml() {
        return """
                id: 3d7c2a10-0000-4000-8000-000000000001
                name: Minimal rule
                description: Used only to test loading.
                severity: Low
                tactics: [Execution]
                techniques:
                  - id: T1105
                    name: Ingress Tool Transfer
                query: DeviceFileEvents | take 1
                triage:
                  investigation: [Look at it.]
                  response: [Close it.]
                """;
    }
}
