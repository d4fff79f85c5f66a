package dev.bazahunt.tuning;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.rules.CommandLineNormalizer;
import java.io.Serializable;

/**
 * What makes two alerts "the same" for suppression: the rule, the device and the command line as
 * certutil would read it. Obfuscated repeats of one command ({@code /urlcache} vs {@code -URLCACHE}) share
 * a key, a different URL or output path does not.
 *
 * <p>The command line is normalised and then case-folded into the key itself, so that every way of
 * hashing the key (this record's {@code hashCode}, Flink's field-wise POJO hashing, or the text of
 * {@link #toString()}) agrees. Folding is {@link KqlOperators#foldCase}, the ASCII-only folding Kusto's
 * {@code =~} makes. Its length is bounded by the normaliser.
 */
public record SuppressionKey(String ruleId, String deviceId, String foldedCommandLine) implements Serializable {

    public static SuppressionKey of(String ruleId, String deviceId, String commandLine) {
        String normalized = CommandLineNormalizer.normalize(commandLine);
        StringBuilder folded = new StringBuilder(normalized.length());
        for (int i = 0; i < normalized.length(); i++) {
            folded.append(KqlOperators.foldCase(normalized.charAt(i)));
        }
        return new SuppressionKey(ruleId, deviceId == null ? "" : deviceId, folded.toString());
    }
}
