package dev.bazahunt.rules;

/**
 * Rewrites a Windows command line into the form a program sees after its argument parser, so a rule
 * can match options by their text without a rule per obfuscation. Microsoft's advanced-hunting guidance
 * suggests removing quotes, replacing commas with spaces and collapsing runs of spaces; on top of that
 * this class undoes the character tricks certutil itself ignores or accepts (ArgFuscator's certutil
 * profile, Sigma's {@code windash} modifier):
 *
 * <ul>
 *   <li>Quotes ({@code "} and {@code '}) are dropped wherever they are: the C runtime's argument parser
 *       removes them, so {@code -url"cache"} and {@code "-urlcache"} both reach certutil as
 *       {@code -urlcache}. The single quote is dropped too because PowerShell treats it as a quote.</li>
 *   <li>Commas become spaces; tabs, line breaks and other space characters become one space; leading and
 *       trailing space disappears.</li>
 *   <li>Unicode format characters (category Cf: zero-width space and joiners U+200B&ndash;U+200F,
 *       bidirectional controls U+202A&ndash;U+202E, U+2060&ndash;U+2064, the byte-order mark U+FEFF, the
 *       soft hyphen U+00AD, ...) are dropped. They are invisible in a console and split a KQL term, so
 *       {@code -url&#x200B;cache} would otherwise not be the term {@code urlcache}.</li>
 *   <li>Unicode dashes U+2010&ndash;U+2015 and the minus sign U+2212 become {@code -}: certutil accepts
 *       them as option characters.</li>
 *   <li>A {@code /} that starts a word becomes {@code -}, so {@code /urlcache} reads {@code -urlcache}.
 *       A {@code /} inside a word (a URL, a path) is kept.</li>
 * </ul>
 *
 * <p>Case is left alone: rules compare through {@link dev.bazahunt.kql.KqlOperators}, which ignore case
 * the way Kusto does, so a lower-cased copy would only cost an allocation.
 *
 * <p><b>Bounded work.</b> At most the first {@value #MAX_EXAMINED_CHARS} characters are examined and the
 * rest is dropped. Windows caps a process command line at 32,767 characters ({@code CreateProcess}), so
 * no real command line loses anything, while a corrupt or hostile value cannot make one event cost more
 * than one pass over 32 KiB. No regex, and when nothing needs rewriting (the common case) the input
 * itself is returned without allocating.
 */
public final class CommandLineNormalizer {

    /** Characters examined per command line: the Windows limit of 32,767 plus one. */
    public static final int MAX_EXAMINED_CHARS = 32 * 1024;

    private CommandLineNormalizer() {}

    /** The normalised command line; null reads as the empty string, as in Kusto. */
    public static String normalize(String commandLine) {
        if (commandLine == null) {
            return "";
        }
        int limit = Math.min(commandLine.length(), MAX_EXAMINED_CHARS);
        if (limit == commandLine.length() && isAlreadyNormal(commandLine)) {
            return commandLine;
        }
        StringBuilder out = new StringBuilder(limit);
        boolean pendingSpace = false;
        for (int i = 0; i < limit; i++) {
            char c = commandLine.charAt(i);
            if (isDropped(c)) {
                continue;
            }
            if (isSeparator(c)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            boolean startsWord = out.length() == 0 || out.charAt(out.length() - 1) == ' ';
            out.append(isDash(c) || (c == '/' && startsWord) ? '-' : c);
        }
        return out.toString();
    }

    /** True when {@link #normalize} would return the text unchanged; a read-only pre-check. */
    private static boolean isAlreadyNormal(String text) {
        char previous = ' ';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDropped(c) || isDash(c) || (isSeparator(c) && (c != ' ' || previous == ' '))
                    || (c == '/' && previous == ' ')) {
                return false;
            }
            previous = c;
        }
        return previous != ' ' || text.isEmpty();
    }

    /**
     * Quotes and Unicode format characters. A lone surrogate half is never Cf, so a supplementary format
     * character (e.g. the U+E0001 language tag) is kept; certutil options are plain BMP text.
     */
    private static boolean isDropped(char c) {
        return c == '"' || c == '\'' || Character.getType(c) == Character.FORMAT;
    }

    /** Commas and anything the console shows as blank space. */
    private static boolean isSeparator(char c) {
        return c == ',' || c <= ' ' || Character.isSpaceChar(c);
    }

    /** Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign. */
    private static boolean isDash(char c) {
        return (c >= '\u2010' && c <= '\u2015') || c == '\u2212';
    }
}
