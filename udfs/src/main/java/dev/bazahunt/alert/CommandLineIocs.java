package dev.bazahunt.alert;

import dev.bazahunt.kql.KqlOperators;

/** Indicators taken from a command line, scanned by hand: no regex on attacker-controlled text. */
public final class CommandLineIocs {
    private CommandLineIocs() {}

    /**
     * The first http:// or https:// URL in the command line (scheme compared as KQL compares: ASCII case-insensitive, after a non-term character), without the
     * quotes or separators around it; null when there is none.
     */
    public static String firstUrl(String commandLine) {
        if (commandLine == null) {
            return null;
        }
        int n = commandLine.length();
        for (int i = 0; i < n; i++) {
            int schemeLength = schemeLengthAt(commandLine, i);
            if (schemeLength == 0 || (i > 0 && KqlOperators.isTermCharacter(commandLine.charAt(i - 1)))) {
                continue;
            }
            int end = i + schemeLength;
            while (end < n && !isUrlTerminator(commandLine.charAt(end))) {
                end++;
            }
            if (end > i + schemeLength) {
                return commandLine.substring(i, end);
            }
        }
        return null;
    }

    private static int schemeLengthAt(String s, int i) {
        if (KqlOperators.regionMatches(s, i, "https://", true)) {
            return 8;
        }
        return KqlOperators.regionMatches(s, i, "http://", true) ? 7 : 0;
    }

    private static boolean isUrlTerminator(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '|';
    }
}
