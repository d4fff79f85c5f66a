package dev.bazahunt.alert;

import static dev.bazahunt.correlation.CorrelationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.rules.RuleCatalog;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documented JSON Schema and the alerts bazahunt writes must agree, field by field. */
class AlertSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = AlertSchemaTest.class.getResourceAsStream("/schema/alert.schema.json")) {
            schema = JSON.readTree(in);
        }
    }

    @Test
    void schemaDocumentsExactlyTheFieldsAnAlertHas() {
        List<String> documented = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactly(Alert.class.getAnnotation(JsonPropertyOrder.class).value());
        List<String> evidence = new ArrayList<>();
        schema.at("/properties/Evidence/items/properties").fieldNames().forEachRemaining(evidence::add);
        assertThat(evidence).containsExactly(Alert.Evidence.class.getAnnotation(JsonPropertyOrder.class).value());
    }

    @Test
    void assembledAlertsConform() throws Exception {
        AlertAssembler assembler = new AlertAssembler(RuleCatalog.standard());
        assertThat(violations(JSON.readTree(AlertJson.write(assembler.baseAlert(List.of(payloadRow(), cacheRow()), 1)))))
                .isEmpty();
        assertThat(violations(JSON.readTree(AlertJson.write(
                assembler.correlatedAlert(List.of(payloadRow()), List.of(copiesCertutil(), runsPayload()), 3)))))
                .isEmpty();
    }

    @Test
    void campaignIncidentsConform() throws Exception {
        List<Alert> incidents = dev.bazahunt.campaign.CampaignFixturesAccess.fullChainIncidents();
        assertThat(incidents).hasSize(1);
        JsonNode incident = JSON.readTree(AlertJson.write(incidents.get(0)));
        assertThat(violations(incident)).isEmpty();
        List<String> stageFields = new ArrayList<>();
        schema.at("/properties/Stages/items/properties").fieldNames().forEachRemaining(stageFields::add);
        assertThat(stageFields).containsExactly(Alert.Stage.class.getAnnotation(JsonPropertyOrder.class).value());
        List<String> hitFields = new ArrayList<>();
        schema.at("/properties/Stages/items/properties/Hits/items/properties").fieldNames()
                .forEachRemaining(hitFields::add);
        assertThat(hitFields).containsExactly(Alert.StageHit.class.getAnnotation(JsonPropertyOrder.class).value());
        ObjectNode broken = (ObjectNode) incident.deepCopy();
        broken.remove("StageCount");
        ((ObjectNode) broken.get("Stages").get(0)).put("Stage", "ransomware");
        assertThat(violations(broken)).hasSize(2);
    }

    @Test
    void everyGoldenAlertConforms() throws Exception {
        Path golden = Path.of("").toAbsolutePath().getParent().resolve("testdata/expected-alerts.jsonl");
        List<String> lines = Files.readAllLines(golden);
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(violations(JSON.readTree(line))).as(line).isEmpty();
        }
    }

    @Test
    void theCheckCatchesBrokenAlerts() throws Exception {
        AlertAssembler assembler = new AlertAssembler(RuleCatalog.standard());
        ObjectNode alert = (ObjectNode) JSON.readTree(AlertJson.write(
                assembler.correlatedAlert(List.of(payloadRow()), List.of(copiesCertutil()), 1)));
        alert.remove("RelatedAlertId");
        alert.put("Revision", 0);
        alert.put("Surprise", true);
        ((ObjectNode) alert.get("Evidence").get(0)).put("Stage", "made-up");
        assertThat(violations(alert)).hasSize(4);
    }

    /** A validator for the subset of JSON Schema the alert schema uses. */
    private static List<String> violations(JsonNode alert) {
        List<String> problems = new ArrayList<>();
        check(alert, schema, "$", problems);
        JsonNode dependent = schema.get("dependentRequired");
        for (Iterator<Map.Entry<String, JsonNode>> it = dependent.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rule = it.next();
            if (alert.has(rule.getKey())) {
                rule.getValue().forEach(required -> {
                    if (!alert.has(required.asText())) {
                        problems.add("$." + required.asText() + " is required with " + rule.getKey());
                    }
                });
            }
        }
        return problems;
    }

    private static void check(JsonNode value, JsonNode rule, String path, List<String> problems) {
        String type = rule.path("type").asText("");
        boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            default -> true;
        };
        if (!typeOk) {
            problems.add(path + " is not " + type);
            return;
        }
        if (rule.has("enum")) {
            boolean listed = false;
            for (JsonNode option : rule.get("enum")) {
                listed |= option.equals(value);
            }
            if (!listed) {
                problems.add(path + " is not one of " + rule.get("enum"));
            }
        }
        if (rule.has("const") && !rule.get("const").equals(value)) {
            problems.add(path + " is not " + rule.get("const"));
        }
        if (rule.has("minimum") && value.asLong() < rule.get("minimum").asLong()) {
            problems.add(path + " is below " + rule.get("minimum"));
        }
        if (rule.has("pattern") && !value.asText().matches(rule.get("pattern").asText())) {
            problems.add(path + " does not match " + rule.get("pattern"));
        }
        if (value.isArray()) {
            if (value.size() < rule.path("minItems").asInt(0)) {
                problems.add(path + " has too few items");
            }
            int i = 0;
            for (JsonNode item : value) {
                check(item, rule.get("items"), path + "[" + i++ + "]", problems);
            }
        }
        if (value.isObject()) {
            rule.path("required").forEach(required -> {
                if (!value.has(required.asText())) {
                    problems.add(path + "." + required.asText() + " is missing");
                }
            });
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode fieldRule = rule.path("properties").get(field.getKey());
                if (fieldRule == null) {
                    problems.add(path + "." + field.getKey() + " is not in the schema");
                } else {
                    check(field.getValue(), fieldRule, path + "." + field.getKey(), problems);
                }
            }
        }
    }
}
