package dev.bazahunt.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Alerts as one-line JSON, the form every sink writes. Field order is fixed by {@link Alert}. */
public final class AlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private AlertJson() {}

    public static String write(Alert alert) {
        try {
            return MAPPER.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an Alert always serialises", e);
        }
    }

    public static Alert read(String json) {
        try {
            return MAPPER.readValue(json, Alert.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an alert: " + e.getOriginalMessage(), e);
        }
    }
}
