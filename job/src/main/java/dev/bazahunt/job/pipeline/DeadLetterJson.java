package dev.bazahunt.job.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.telemetry.DeadLetter;

/** Dead letters as one-line JSON; absent origin fields (file or Kafka) are left out. */
public final class DeadLetterJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private DeadLetterJson() {}

    public static String write(DeadLetter letter) {
        try {
            return MAPPER.writeValueAsString(letter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a DeadLetter always serialises", e);
        }
    }
}
