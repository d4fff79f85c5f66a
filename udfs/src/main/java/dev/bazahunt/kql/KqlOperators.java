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
 * <h2>Terms</h2>
 * Kusto splits a string into maximal runs of alphanumeric characters and calls each run a term. Here a
 * character is alphanumeric when {@link Character#isLetterOrDigit(int)} says so for its code point, so
 * {@code é}, {@code ß} and {@code Ж} are letters, while Unicode dashes (U+2013, U+2014, U+2015, U+2212),
 * zero-width and other format characters separate terms like any punctuation. The docs stopped calling
 * terms ASCII-only in 2023; Unicode letters are the reading that matches today's text.
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
 * <h2>Case and cost</h2>
 * Case-insensitive means per-character {@code toUpperCase}/{@code toLowerCase} equality, as
 * {@link String#regionMatches(boolean, int, String, int, int)} does. These methods run once per event
 * per rule, so they scan the left side in place: no regex, no lower-cased copy, no allocation beyond a
 * caller's varargs array. The cost is at most O(length of left side &times; length of right side).
 */
public final class KqlOperators {

    /** Kusto considers at most this many distinct values in {@code has_all}. */
    public static final int HAS_ALL_MAX_VALUES = 256;

    /** Kusto considers at most this many values in {@code has_any}. */
    public static final int HAS_ANY_MAX_VALUES = 10_000;

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
            if (text.regionMatches(true, start, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    /** KQL {@code !contains}. */
    public static boolean notContains(String lhs, String rhs) {
        return !contains(lhs, rhs);
    }

    /** KQL {@code startswith}, ignoring case. */
    public static boolean startsWith(String lhs, String rhs) {
        String needle = orEmpty(rhs);
        return orEmpty(lhs).regionMatches(true, 0, needle, 0, needle.length());
    }

    /** KQL {@code endswith}, ignoring case. */
    public static boolean endsWith(String lhs, String rhs) {
        String text = orEmpty(lhs);
        String needle = orEmpty(rhs);
        int start = text.length() - needle.length();
        return start >= 0 && text.regionMatches(true, start, needle, 0, needle.length());
    }

    /** KQL {@code ==}: exact, case-sensitive equality. */
    public static boolean equalsCs(String lhs, String rhs) {
        return orEmpty(lhs).equals(orEmpty(rhs));
    }

    /** KQL {@code =~}: equality ignoring case. */
    public static boolean equalsCi(String lhs, String rhs) {
        return orEmpty(lhs).equalsIgnoreCase(orEmpty(rhs));
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
        boolean boundaryBefore = Character.isLetterOrDigit(needle.codePointAt(0));
        boolean boundaryAfter = Character.isLetterOrDigit(needle.codePointBefore(length));
        int lastStart = text.length() - length;
        for (int start = 0; start <= lastStart; start++) {
            int end = start + length;
            if (boundaryBefore && start > 0 && Character.isLetterOrDigit(text.codePointBefore(start))) {
                continue;
            }
            if (boundaryAfter && end < text.length() && Character.isLetterOrDigit(text.codePointAt(end))) {
                continue;
            }
            if (text.regionMatches(ignoreCase, start, needle, 0, length)) {
                return true;
            }
        }
        return false;
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
