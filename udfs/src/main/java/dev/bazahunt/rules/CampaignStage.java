package dev.bazahunt.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A stage of the BazaCall intrusion, in kill-chain order: the declaration order is the order in which
 * an incident lists its stages, so {@link #compareTo} sorts stages the way the attack unfolds.
 * Rule files and alerts spell a stage by its {@link #label()}, e.g. {@code certutil-download}.
 */
public enum CampaignStage {
    EMAIL_LURE("email-lure"),
    EXCEL_DELIVERY("excel-delivery"),
    EXCEL_MACRO("excel-macro"),
    CERTUTIL_DOWNLOAD("certutil-download"),
    BAZALOADER_C2("bazaloader-c2"),
    CREDENTIAL_THEFT("credential-theft"),
    EXFILTRATION("exfiltration");

    private final String label;

    CampaignStage(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** The stage spelled {@code label}; anything else is refused with the vocabulary. */
    @JsonCreator
    public static CampaignStage fromLabel(String label) {
        for (CampaignStage stage : values()) {
            if (stage.label.equals(label)) {
                return stage;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not a campaign stage; stages are "
                + Arrays.stream(values()).map(CampaignStage::label).collect(Collectors.joining(", ")));
    }
}
