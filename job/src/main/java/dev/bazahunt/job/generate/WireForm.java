package dev.bazahunt.job.generate;

import java.util.Locale;

/** The three shapes Defender telemetry is exported in, as the generator writes them. */
public enum WireForm {
    /** Streaming API to Event Hubs: each line is a message {@code {"records":[envelope, ...]}}. */
    EVENTHUBS("jsonl", "\n"),
    /** Streaming API to Storage: each line is one envelope, lines end in CR LF as the blobs do. */
    STORAGE("json", "\r\n"),
    /** Advanced Hunting / Sentinel export: each line is one flat row naming its table in {@code Type}. */
    FLAT("jsonl", "\n");

    private final String fileExtension;
    private final String lineEnd;

    WireForm(String fileExtension, String lineEnd) {
        this.fileExtension = fileExtension;
        this.lineEnd = lineEnd;
    }

    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    String fileExtension() {
        return fileExtension;
    }

    String lineEnd() {
        return lineEnd;
    }

    public static WireForm fromOption(String value) {
        for (WireForm form : values()) {
            if (form.optionValue().equals(value)) {
                return form;
            }
        }
        return null;
    }
}
