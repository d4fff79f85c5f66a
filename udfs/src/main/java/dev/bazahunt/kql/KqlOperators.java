package dev.bazahunt.kql;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Kusto (KQL) string operators, evaluated the way Microsoft Defender and Sentinel evaluate them, so a
 * hunting query ported to Java keeps its meaning.
 *
 * <h2>Null is the empty string</h2>
 * Kusto's {@code string} type has no null: a missing column reads as {@code ""}. Every method here maps a
 * null argument (left side, right side or list element) to {@code ""} before comparing. That matters for
 * negations: a row without {@code InitiatingProcessFileName} passes {@code !~ "cmd.exe"} in Kusto, and
 * must pass here too instead of silently being dropped.
 *
 * <h2>Terms and case: ASCII, as documented</h2>
 * A term is a maximal run of the ASCII letters and digits {@code A-Z a-z 0-9}, and case-insensitive
 * comparison folds only the 26 ASCII letters ({@code A-Z} onto {@code a-z}). Every other character,
 * letter or not, separates terms and compares only with itself. So {@code "certutıl.exe"} (dotless
 * {@code ı}) is not {@code =~ "certutil.exe"}, {@code "-ſplit"} (long {@code ſ}) has no term
 * {@code split}, the Kelvin sign {@code K} is not {@code k}, fullwidth {@code ｓｐｌｉｔ} is
 * not {@code split}, {@code "ésplit"} has the term {@code split}, and neither Turkish nor Greek
 * casing rules apply ({@code "İ" =~ "i"} and {@code "Σ" =~ "σ"} are false).
 *
 * <p><b>Why, and from where.</b> Microsoft's page on string operators
 * (learn.microsoft.com/kusto/query/datatypes-string-operators, source
 * MicrosoftDocs/dataexplorer-docs {@code data-explorer/kusto/query/datatypes-string-operators.md})
 * defined terms as "maximal sequences of ASCII alphanumeric characters" and said "Case-insensitive
 * operators are currently supported only for ASCII-text. For non-ASCII comparison, use the tolower()
 * function." Commit 4c6d2ed6a of 2023-01-25, titled "Remove irrelevant note on Unicode support", dropped
 * the note and the word ASCII. Its title calls the note irrelevant; it announces no change to the engine,
 * and no page has since documented Unicode folding or which alphabet "alphanumeric" means. The only
 * behaviour Microsoft ever documented is the ASCII one, so that is what is implemented. Java's own
 * folding ({@code equalsIgnoreCase}) would be wrong in the direction that matters: it makes a renamed
 * {@code certutıl.exe} look like the genuine binary, and the faithful certutil rule, which skips
 * {@code certutil.exe}, would then miss a copy Sentinel flags.
 *
 * <p>Both rules are plain {@code char} arithmetic: UTF-16 code units outside ASCII (surrogate halves
 * included) are never term characters and never fold, so no code point decoding is needed.
 *
 * <p>{@code has X} for an all-alphanumeric {@code X} means {@code X} equals a whole term, ignoring case.
 * Hence {@code "... -f https://host/a.dll" has "http"} is false: the term is {@code https}, and a
 * substring of a term is not the term. That is exactly why the certutil hunting query does not fire on
 * TLS downloads. Terms shorter than three characters still match; Kusto's three-character minimum only
 * decides whether its index can be used, not what the operator means.
 *
 * <h2>Right sides with punctuation</h2>
 * Kusto does not document {@code has} for a right side containing non-alphanumeric characters, yet
 * Microsoft's BazaCall queries rely on it ({@code has "-urlcache"}, {@code has ",GlobalOut"},
 * {@code has_all('mkdir', '&& copy', 'certutil.exe')}). The model implemented here, consistent with
 * every public observation: {@code X} must occur as a case-insensitive literal substring, and at each end
 * of {@code X} whose character is alphanumeric the neighbouring character of the left side must not be
 * alphanumeric (or must be the start or end of the string). For an all-alphanumeric {@code X} that is
 * whole-term equality. So {@code "-urlcache -split" has "-urlcache"} and {@code "--urlcache" has
 * "-urlcache"} are true, while {@code "/urlcache"}, {@code "\u2013urlcache"} (en dash) and
 * {@code "-urlcachex"} are not.
 *
 * <h2>Empty right side</h2>
 * {@code has ""} is false: the empty string is no term, and a detection that "has nothing" must not match
 * every row. {@code contains ""}, {@code startswith ""} and {@code endswith ""} are true, as for any
 * substring test. {@code has_any} over no terms is false; {@code has_all} over no terms is rejected,
 * because vacuous truth would turn a filter into match-everything.
 *
 * <h2>Limits</h2>
 * Kusto rejects {@code has_all} with more than {@value #HAS_ALL_MAX_VALUES} distinct values and
 * {@code has_any} with more than {@value #HAS_ANY_MAX_VALUES}; so do these methods, with an
 * {@link IllegalArgumentException}. Values are distinct when their text differs; repeats count once.
 *
 * <h2>Cost</h2>
 * These methods run once per event per rule, so they scan the left side in place: no regex, no
 * lower-cased copy, no allocation beyond a caller's varargs array. The cost is at most O(length of left
 * side &times; length of right side).
 */
public final class KqlOperators {

    /** Kusto considers at most this many distinct values in {@code has_all}. */
    public static final int HAS_ALL_MAX_VALUES = 256;

    /** Kusto considers at most this many values in {@code has_any}. */
    public static final int HAS_ANY_MAX_VALUES = 10_000;

    /** The bit that tells an ASCII letter's cases apart: {@code 'A' ^ 'a'}. */
    private static final int ASCII_CASE_BIT = 0x20;

    private KqlOperators() {}

    /** KQL {@code has}: {@code rhs} is a whole term of {@code lhs}, ignoring case. */
    public static boolean has(String lhs, String rhs) {
        return findsTerm(orEmpty(lhs), orEmpty(rhs), true);
    }

    /** KQL {@code !has}. */
    public static boolean notHas(String lhs, String rhs) {
        return !has(lhs, rhs);
    }

    /** KQL {@code has_cs}: like {@link #has} but case-sensitive. */
    public static boolean hasCs(String lhs, String rhs) {
        return findsTerm(orEmpty(lhs), orEmpty(rhs), false);
    }

    /** KQL {@code has_any}: at least one of {@code terms} is a term of {@code lhs}. */
    public static boolean hasAny(String lhs, String... terms) {
        requireWithinLimit("has_any", terms, HAS_ANY_MAX_VALUES);
        String text = orEmpty(lhs);
        for (String term : terms) {
            if (findsTerm(text, orEmpty(term), true)) {
                return true;
            }
        }
        return false;
    }

    /** KQL {@code has_any} over a list, for term lists that come from data. */
    public static boolean hasAny(String lhs, List<String> terms) {
        return hasAny(lhs, terms.toArray(String[]::new));
    }

    /** KQL {@code has_all}: every one of {@code terms} is a term of {@code lhs}. */
    public static boolean hasAll(String lhs, String... terms) {
        if (terms.length == 0) {
            throw new IllegalArgumentException(
                    "has_all needs at least one term; with none it would match every row");
        }
        requireWithinLimit("has_all", terms, HAS_ALL_MAX_VALUES);
        String text = orEmpty(lhs);
        for (String term : terms) {
            if (!findsTerm(text, orEmpty(term), true)) {
                return false;
            }
        }
        return true;
    }

    /** KQL {@code has_all} over a list, for term lists that come from data. */
    public static boolean hasAll(String lhs, List<String> terms) {
        return hasAll(lhs, terms.toArray(String[]::new));
    }

    /** KQL {@code contains}: {@code rhs} occurs anywhere in {@code lhs}, ignoring case. */
    public static boolean contains(String lhs, String rhs) {
        String text = orEmpty(lhs);
        String needle = orEmpty(rhs);
        int lastStart = text.length() - needle.length();
        for (int start = 0; start <= lastStart; start++) {
            if (regionMatches(text, start, needle, true)) {
                return true;
            }
        }
        return false;
    }

    /** KQL {@code contains_cs}: {@code rhs} occurs anywhere in {@code lhs}, case-sensitively. */
    public static boolean containsCs(String lhs, String rhs) {
        return orEmpty(lhs).contains(orEmpty(rhs));
    }

    /** KQL {@code !contains}. */
    public static boolean notContains(String lhs, String rhs) {
        return !contains(lhs, rhs);
    }

    /** KQL {@code startswith}, ignoring case. */
    public static boolean startsWith(String lhs, String rhs) {
        String text = orEmpty(lhs);
        String needle = orEmpty(rhs);
        return needle.length() <= text.length() && regionMatches(text, 0, needle, true);
    }

    /** KQL {@code endswith}, ignoring case. */
    public static boolean endsWith(String lhs, String rhs) {
        String text = orEmpty(lhs);
        String needle = orEmpty(rhs);
        int start = text.length() - needle.length();
        return start >= 0 && regionMatches(text, start, needle, true);
    }

    /** KQL {@code ==}: exact, case-sensitive equality. */
    public static boolean equalsCs(String lhs, String rhs) {
        return orEmpty(lhs).equals(orEmpty(rhs));
    }

    /** KQL {@code =~}: equality ignoring case. */
    public static boolean equalsCi(String lhs, String rhs) {
        String left = orEmpty(lhs);
        String right = orEmpty(rhs);
        return left.length() == right.length() && regionMatches(left, 0, right, true);
    }

    /** KQL {@code !~}: inequality ignoring case; a missing value differs from any non-empty one. */
    public static boolean notEqualsCi(String lhs, String rhs) {
        return !equalsCi(lhs, rhs);
    }

    /** KQL {@code in~}: {@code lhs} equals one of {@code values}, ignoring case. */
    public static boolean inCi(String lhs, String... values) {
        for (String value : values) {
            if (equalsCi(lhs, value)) {
                return true;
            }
        }
        return false;
    }

    /** KQL {@code in}: {@code lhs} equals one of {@code values} exactly. */
    public static boolean inCs(String lhs, String... values) {
        for (String value : values) {
            if (equalsCs(lhs, value)) {
                return true;
            }
        }
        return false;
    }

    /** KQL {@code in~} over a list, for value lists that come from data. */
    public static boolean inCi(String lhs, List<String> values) {
        return inCi(lhs, values.toArray(String[]::new));
    }

    /**
     * Whether {@code needle} occurs in {@code text} with a term boundary at each alphanumeric end of
     * {@code needle}. Every occurrence is tried, so {@code "splitter split"} still has {@code "split"}.
     */
    private static boolean findsTerm(String text, String needle, boolean ignoreCase) {
        int length = needle.length();
        if (length == 0) {
            return false;
        }
        boolean boundaryBefore = isTermCharacter(needle.charAt(0));
        boolean boundaryAfter = isTermCharacter(needle.charAt(length - 1));
        int lastStart = text.length() - length;
        for (int start = 0; start <= lastStart; start++) {
            int end = start + length;
            if (boundaryBefore && start > 0 && isTermCharacter(text.charAt(start - 1))) {
                continue;
            }
            if (boundaryAfter && end < text.length() && isTermCharacter(text.charAt(end))) {
                continue;
            }
            if (regionMatches(text, start, needle, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} is a term character: an ASCII letter or digit. Everything else separates terms. */
    public static boolean isTermCharacter(char c) {
        return (c >= '0' && c <= '9') || isAsciiLetter(c);
    }

    /** Whether two characters are equal ignoring case: identical, or the same ASCII letter in either case. */
    public static boolean equalIgnoringCase(char a, char b) {
        return a == b || ((a ^ b) == ASCII_CASE_BIT && isAsciiLetter(a));
    }

    /**
     * Whether {@code needle} occurs in {@code text} at {@code start}, comparing with
     * {@link #equalIgnoringCase} or exactly. The caller keeps {@code start + needle.length()} within
     * {@code text}; nothing is copied.
     */
    public static boolean regionMatches(String text, int start, String needle, boolean ignoreCase) {
        int length = needle.length();
        if (start < 0 || start > text.length() - length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            char actual = text.charAt(start + k);
            char expected = needle.charAt(k);
            if (actual != expected && !(ignoreCase && equalIgnoringCase(actual, expected))) {
                return false;
            }
        }
        return true;
    }

    /** The ASCII letters {@code A-Z} turned into {@code a-z}; every other character unchanged. */
    public static char foldCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c | ASCII_CASE_BIT) : c;
    }

    private static boolean isAsciiLetter(char c) {
        char lower = (char) (c | ASCII_CASE_BIT);
        return lower >= 'a' && lower <= 'z';
    }

    /**
     * Rejects term lists Kusto itself would reject. Counting distinct values needs a set, so it only
     * happens when the raw count is already over the limit, keeping ordinary calls allocation-free.
     */
    private static void requireWithinLimit(String operator, String[] terms, int limit) {
        if (terms.length <= limit) {
            return;
        }
        Set<String> distinct = new HashSet<>();
        for (String term : terms) {
            distinct.add(orEmpty(term));
        }
        if (distinct.size() > limit) {
            throw new IllegalArgumentException(operator + " accepts at most " + limit
                    + " distinct values, got " + distinct.size() + "; Kusto rejects such a query too");
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
