package dev.bazahunt.rules;

import java.text.Normalizer;

/**
 * Rewrites a Windows command line into the form a program sees after its argument parser, so a rule
 * can match options by their text without a rule per obfuscation. Microsoft's advanced-hunting guidance
 * suggests removing quotes, replacing commas with spaces and collapsing runs of spaces; on top of that
 * this class undoes the character tricks certutil itself ignores or accepts (ArgFuscator's certutil
 * profile, Sigma's {@code windash} modifier):
 *
 * <ul>
 *   <li>A line with any non-ASCII character is first put in Unicode normalisation form NFKC, which
 *       folds compatibility characters onto their plain forms: the modifier letters ArgFuscator's
 *       certutil profile substitutes ({@code -urlc&#x1D43;che}, {@code -&#x1D58;rlcache}), fullwidth forms
 *       ({@code &#xFF0D;&#xFF55;&#xFF52;&#xFF4C;}), small and compatibility variants of {@code -} and
 *       {@code /}. Pure ASCII text is already NFKC, so the common line never pays for it.</li>
 *   <li>Quotes ({@code "} and {@code '}) are dropped wherever they are: the C runtime's argument parser
 *       removes them, so {@code -url"cache"} and {@code "-urlcache"} both reach certutil as
 *       {@code -urlcache}. The single quote is dropped too because PowerShell treats it as a quote.</li>
 *   <li>Commas become spaces; tabs, line breaks and other space characters become one space; leading and
 *       trailing space disappears.</li>
 *   <li>Characters a console does not show and certutil's option comparison ignores are dropped:
 *       format characters (Cf: zero-width space and joiners U+200B&ndash;U+200F, bidirectional controls
 *       U+202A&ndash;U+202E, U+2060&ndash;U+2064, the byte-order mark U+FEFF, the soft hyphen U+00AD),
 *       unassigned code points (Cn, such as the U+0378 and U+0530 that ArgFuscator inserts), private
 *       use (Co), combining marks (Mn, Me) and, after NFKC, modifier letters (Lm, such as the Arabic
 *       tatweel U+0640). They would otherwise split a KQL term, so {@code -url&#x200B;cache} would not
 *       be the term {@code urlcache}.</li>
 *   <li>Unicode dashes U+2010&ndash;U+2015 and the minus sign U+2212 become {@code -}: certutil accepts
 *       them as option characters.</li>
 *   <li>A {@code /} that starts a word becomes {@code -}, so {@code /urlcache} reads {@code -urlcache}.
 *       A {@code /} inside a word (a URL, a path) is kept.</li>
 * </ul>
 *
 * <p>Case is left alone: rules compare through {@link dev.bazahunt.kql.KqlOperators}, which ignore ASCII
 * case the way Kusto does, so a lower-cased copy would only cost an allocation.
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
        String text = commandLine;
        if (hasNonAscii(commandLine, limit)) {
            // Only here, on the rare line with non-ASCII characters, is a normalised copy made.
            text = Normalizer.normalize(commandLine.substring(0, limit), Normalizer.Form.NFKC);
            limit = text.length();
        }
        StringBuilder out = new StringBuilder(limit);
        boolean pendingSpace = false;
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
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

    /**
     * True when {@link #normalize} would return the text unchanged; a read-only pre-check. Any non-ASCII
     * character sends the line through NFKC, so only ASCII lines can be normal already.
     */
    private static boolean isAlreadyNormal(String text) {
        char previous = ' ';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || isDropped(c) || (isSeparator(c) && (c != ' ' || previous == ' '))
                    || (c == '/' && previous == ' ')) {
                return false;
            }
            previous = c;
        }
        return previous != ' ' || text.isEmpty();
    }

    private static boolean hasNonAscii(String text, int limit) {
        for (int i = 0; i < limit; i++) {
            if (text.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    /**
     * Quotes and the characters certutil's option comparison ignores (see the class comment). A lone
     * surrogate half is category Cs, so supplementary characters are kept; certutil options are plain
     * BMP text.
     */
    private static boolean isDropped(char c) {
        if (c < 0x80) {
            return c == '"' || c == '\'';
        }
        switch (Character.getType(c)) {
            case Character.FORMAT:
            case Character.UNASSIGNED:
            case Character.PRIVATE_USE:
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.MODIFIER_LETTER:
                return true;
            default:
                return false;
        }
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
