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

    private final RuleCatalog catalog = RuleCatalog.standard();

    @Test
    void everyStandardRuleFileParses() {
        assertThat(catalog.all()).hasSize(RuleCatalog.STANDARD_RULE_FILES.size());
        assertThat(catalog.all()).extracting(RuleDefinition::id)
                .containsExactly(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.CERTUTIL_DOWNLOAD_HARDENED,
                        RuleIds.BAZACALL_CORRELATION, RuleIds.BAZACALL_CAMPAIGN_INCIDENT);
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
