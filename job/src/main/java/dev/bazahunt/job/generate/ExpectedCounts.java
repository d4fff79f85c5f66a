package dev.bazahunt.job.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a replay of generated telemetry must report, with the default 30-minute window, written as
 * {@code expected.json} beside the data. Also what was generated, so a bench can reuse the data only
 * when it is what it asked for.
 */
public record ExpectedCounts(String format, long seed, int events, int devices, int chains, int files,
        long lines, long bytes, String window, long baseAlerts, long correlatedAlerts, long matchedRows,
        long excelChildEvents, long linesContainingUrlcache, long campaignIncidents) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static ExpectedCounts read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ExpectedCounts.class);
    }
}
