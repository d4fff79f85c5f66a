package dev.bazahunt.alert;

/** Indicators taken from a command line, scanned by hand: no regex on attacker-controlled text. */
public final class CommandLineIocs {
    private CommandLineIocs() {}

    /**
     * The first http:// or https:// URL in the command line (scheme case-insensitive), without the
     * quotes or separators around it; null when there is none.
     */
    public static String firstUrl(String commandLine) {
        if (commandLine == null) {
            return null;
        }
        int n = commandLine.length();
        for (int i = 0; i < n; i++) {
            int schemeLength = schemeLengthAt(commandLine, i);
            if (schemeLength == 0 || (i > 0 && Character.isLetterOrDigit(commandLine.charAt(i - 1)))) {
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
        if (s.regionMatches(true, i, "https://", 0, 8)) {
            return 8;
        }
        return s.regionMatches(true, i, "http://", 0, 7) ? 7 : 0;
    }

    private static boolean isUrlTerminator(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '|';
    }
}
