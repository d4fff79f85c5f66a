package dev.bazahunt.kql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives a query's pre-filter needles from its condition tree: literal strings such that every row the
 * query matches holds at least one of them in its raw text, compared with ASCII case folding. Null means
 * no such set exists (a negation, {@code isempty}, or a regex without a required literal can match a row
 * without any particular text), and the pre-filter must then parse every row of the query's table.
 *
 * <p>Conservative by construction: a positive string comparison needs its value (or, with a list, one
 * of its values) inside the column's text, so each value is a needle; {@code and} needs every part, so
 * any one part's needles do (the longest are kept, being the most selective); {@code or} needs one part,
 * so it needs the union. A value is cut at characters that JSON or CSV writers escape ({@code "} and
 * {@code \} and control characters) and the longest remaining piece kept, because the raw bytes hold the
 * escaped form; the pre-filter treats every JSON escape that could spell a letter as a finding anyway.
 */
public final class KqlNeedles {

    private KqlNeedles() {}

    /** The needles of {@code query}, lower-cased, or null when the query has none. */
    public static Set<String> of(KqlQuery query) {
        return of(query.condition());
    }

    static Set<String> of(KqlCondition condition) {
        if (condition instanceof KqlCondition.And and) {
            Set<String> best = null;
            for (KqlCondition part : and.parts()) {
                Set<String> needles = of(part);
                if (needles != null && (best == null || shortest(needles) > shortest(best))) {
                    best = needles;
                }
            }
            return best;
        }
        if (condition instanceof KqlCondition.Or or) {
            Set<String> union = new LinkedHashSet<>();
            for (KqlCondition part : or.parts()) {
                Set<String> needles = of(part);
                if (needles == null) {
                    return null;
                }
                union.addAll(needles);
            }
            return union;
        }
        if (condition instanceof KqlCondition.Compare compare) {
            return of(compare);
        }
        return null; // Not, IsEmpty: a row can match them while holding no particular text
    }

    private static Set<String> of(KqlCondition.Compare compare) {
        List<String> values = compare.values();
        switch (compare.operator()) {
            case HAS_ALL: {
                String best = null; // every term is required: the longest one suffices
                for (String value : values) {
                    String piece = literalPiece(value);
                    if (piece != null && (best == null || piece.length() > best.length())) {
                        best = piece;
                    }
                }
                return best == null ? null : Set.of(best);
            }
            case MATCHES_REGEX: {
                String piece = RegexLiteral.longestRequired(values.get(0));
                return piece == null ? null : of(piece);
            }
            default: {
                Set<String> needles = new LinkedHashSet<>();
                for (String value : values) {
                    String piece = literalPiece(value);
                    if (piece == null) {
                        return null;
                    }
                    needles.add(piece);
                }
                return needles;
            }
        }
    }

    private static Set<String> of(String raw) {
        String piece = literalPiece(raw);
        return piece == null ? null : Set.of(piece);
    }

    /** The longest piece of {@code value} without escaped characters, ASCII lower-cased; null if empty. */
    static String literalPiece(String value) {
        String best = "";
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || isEscapedByWriters(value.charAt(i))) {
                if (i - start > best.length()) {
                    best = value.substring(start, i);
                }
                start = i + 1;
            }
        }
        return best.isEmpty() ? null : asciiLower(best);
    }

    private static boolean isEscapedByWriters(char c) {
        return c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
    }

    private static String asciiLower(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c);
        }
        return lower.toString();
    }

    private static int shortest(Set<String> needles) {
        int shortest = Integer.MAX_VALUE;
        for (String needle : needles) {
            shortest = Math.min(shortest, needle.length());
        }
        return shortest;
    }
}
