package dev.bazahunt.kql;

/**
 * The longest literal run that every match of an RE2 pattern must contain, for the simple patterns
 * rule files use; null when this reading cannot prove one. Deliberately narrow: a pattern with an
 * alternation, a group or a flag is not analysed at all, and a character under any quantifier ends a
 * run without joining it, so whatever is returned is required by every match.
 */
final class RegexLiteral {

    private RegexLiteral() {}

    static String longestRequired(String pattern) {
        if (pattern.indexOf('|') >= 0 || pattern.indexOf('(') >= 0) {
            return null;
        }
        StringBuilder run = new StringBuilder();
        String best = "";
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            String literal = null;
            int width = 1;
            if (c == '\\' && i + 1 < pattern.length()) {
                char escaped = pattern.charAt(i + 1);
                width = 2;
                if (!Character.isLetterOrDigit(escaped)) {
                    literal = String.valueOf(escaped); // \. \/ \- : the character itself
                }
            } else if (c == '[') {
                int close = pattern.indexOf(']', i + 2);
                width = close < 0 ? pattern.length() - i : close - i + 1;
            } else if (".^$*+?{}".indexOf(c) < 0) {
                literal = String.valueOf(c);
            }
            int next = i + width;
            boolean quantified = next < pattern.length() && "*+?{".indexOf(pattern.charAt(next)) >= 0;
            if (literal == null || quantified) {
                best = longer(best, run);
                run.setLength(0);
                if (quantified) {
                    next = skipQuantifier(pattern, next);
                }
            } else {
                run.append(literal);
            }
            i = next;
        }
        best = longer(best, run);
        return best.isEmpty() ? null : best;
    }

    private static int skipQuantifier(String pattern, int at) {
        if (pattern.charAt(at) == '{') {
            int close = pattern.indexOf('}', at);
            at = close < 0 ? pattern.length() : close + 1;
        } else {
            at++;
        }
        return at < pattern.length() && pattern.charAt(at) == '?' ? at + 1 : at;
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }
}
