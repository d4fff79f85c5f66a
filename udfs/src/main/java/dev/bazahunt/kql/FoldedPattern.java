package dev.bazahunt.kql;

/**
 * One right-hand string of a compiled query, prepared once at compile time for the searches the string
 * operators make: its characters already case-folded, its term boundaries known, and an anchor chosen,
 * the character of the value whose occurrences are the fewest to try. The result of every method is the
 * one {@link KqlOperators} defines (ASCII terms, ASCII case folding, the empty-string rules); only the
 * way there differs: candidate positions come from {@link String#indexOf(int, int)} on the anchor, an
 * intrinsic that scans many characters per step, instead of trying every position.
 */
record FoldedPattern(
        /* The value as the query wrote it. */
        String value,
        /* The value's characters, ASCII letters folded onto a-z when ignoring case. */
        char[] chars,
        /*
         * Per character, the case bit (0x20) where the value has an ASCII letter and case is ignored,
         * else 0: a text character c matches chars[k] exactly when (c | caseBits[k]) == chars[k], which
         * for a letter accepts its two cases and for anything else only itself.
         */
        char[] caseBits,
        /* has: the first (last) character is a term character, so a term boundary must precede (follow) it. */
        boolean boundaryBefore,
        boolean boundaryAfter,
        /* Comparing with or without case gives the same answer: case-sensitive, or no ASCII letter in the value. */
        boolean exact,
        /* Offset of the anchor in the value, and the anchor in its two cases (equal when it has no case). */
        int anchor,
        char anchorLower,
        char anchorUpper,
        /* How cheap a search for the value is expected to be, to try cheap terms first; 0 for the empty value. */
        int anchorCost) {

    private static FoldedPattern of(String value, boolean ignoreCase) {
        int length = value.length();
        char[] chars = new char[length];
        char[] caseBits = new char[length];
        boolean letters = false;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            chars[i] = ignoreCase ? KqlOperators.foldCase(c) : c;
            caseBits[i] = ignoreCase && isAsciiLetter(c) ? (char) 0x20 : 0;
            letters |= isAsciiLetter(c);
        }
        boolean exact = !ignoreCase || !letters;
        int anchor = chooseAnchor(chars, exact);
        char lower = length == 0 ? 0 : chars[anchor];
        char upper = !exact && isAsciiLetter(lower) ? (char) (lower & ~0x20) : lower;
        return new FoldedPattern(value, chars, caseBits,
                length > 0 && KqlOperators.isTermCharacter(value.charAt(0)),
                length > 0 && KqlOperators.isTermCharacter(value.charAt(length - 1)),
                exact, anchor, lower, upper, length == 0 ? 0 : cost(lower, exact));
    }

    /** For the case-insensitive operators ({@code has}, {@code contains}, {@code =~}, ...). */
    static FoldedPattern ignoringCase(String value) {
        return of(value == null ? "" : value, true);
    }

    /** For the case-sensitive ones ({@code has_cs}, {@code contains_cs}, {@code ==}). */
    static FoldedPattern exact(String value) {
        return of(value == null ? "" : value, false);
    }

    int length() {
        return chars.length;
    }

    /** {@code text =~ value} (or {@code ==} for an exact pattern). */
    boolean equalTo(String text) {
        return text.length() == chars.length && (exact ? text.equals(value) : regionMatches(text, 0));
    }

    /** {@code text startswith value}. */
    boolean prefixOf(String text) {
        return text.length() >= chars.length && (exact ? text.startsWith(value) : regionMatches(text, 0));
    }

    /** {@code text endswith value}. */
    boolean suffixOf(String text) {
        int start = text.length() - chars.length;
        return start >= 0 && (exact ? text.startsWith(value, start) : regionMatches(text, start));
    }

    /** {@code text contains value}: anywhere, no boundary; the empty value is in every text. */
    boolean containedIn(String text) {
        if (exact) {
            return text.contains(value);
        }
        return find(text, false);
    }

    /** {@code text has value}: an occurrence with a term boundary at each alphanumeric end; never the empty value. */
    boolean termOf(String text) {
        if (chars.length == 0) {
            return false;
        }
        if (exact) {
            for (int start = text.indexOf(value); start >= 0; start = text.indexOf(value, start + 1)) {
                if (boundariesHold(text, start)) {
                    return true;
                }
            }
            return false;
        }
        return find(text, true);
    }

    /**
     * Tries every start where the anchor occurs, in either case, in increasing order: the same
     * positions as trying every start, less those where the anchor character already differs.
     */
    private boolean find(String text, boolean terms) {
        int length = chars.length;
        if (length == 0) {
            return true;
        }
        int last = text.length() - length;
        if (last < 0) {
            return false;
        }
        int lower = text.indexOf(anchorLower, anchor);
        int upper = anchorUpper == anchorLower ? -1 : text.indexOf(anchorUpper, anchor);
        while (lower >= 0 || upper >= 0) {
            int at;
            if (upper < 0 || (lower >= 0 && lower < upper)) {
                at = lower;
            } else {
                at = upper;
            }
            int start = at - anchor;
            if (start > last) {
                return false;
            }
            if ((!terms || boundariesHold(text, start)) && regionMatches(text, start)) {
                return true;
            }
            if (at == lower) {
                lower = text.indexOf(anchorLower, at + 1);
            } else {
                upper = text.indexOf(anchorUpper, at + 1);
            }
        }
        return false;
    }

    private boolean boundariesHold(String text, int start) {
        if (boundaryBefore && start > 0 && KqlOperators.isTermCharacter(text.charAt(start - 1))) {
            return false;
        }
        int end = start + chars.length;
        return !(boundaryAfter && end < text.length() && KqlOperators.isTermCharacter(text.charAt(end)));
    }

    /** Whether the value occurs at {@code start}; the caller keeps the region inside {@code text}. */
    private boolean regionMatches(String text, int start) {
        char[] expected = chars;
        char[] bits = caseBits;
        for (int k = 0; k < expected.length; k++) {
            if ((text.charAt(start + k) | bits[k]) != expected[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The offset of the value's character expected to occur least often in a command line, URL or file
     * name, so that the fewest candidate starts are tried. A letter that has two cases costs two scans.
     * Any choice gives the same answers; this one only makes them cheaper.
     */
    private static int chooseAnchor(char[] chars, boolean exact) {
        int best = 0;
        int bestCost = Integer.MAX_VALUE;
        for (int i = 0; i < chars.length; i++) {
            int cost = cost(chars[i], exact);
            if (cost < bestCost) {
                best = i;
                bestCost = cost;
            }
        }
        return best;
    }

    private static int cost(char c, boolean exact) {
        return frequency(c) + (!exact && isAsciiLetter(c) ? 2 : 0);
    }

    /** A rough rank of how common a character is in Windows command lines and URLs: higher is commoner. */
    private static int frequency(char c) {
        if (c >= 0x80) {
            return 0;
        }
        char lower = KqlOperators.foldCase(c);
        if (lower >= 'a' && lower <= 'z') {
            return "zqjxkvbpgwyfmcudhlrsnoiate".indexOf(lower) / 3 + 2;
        }
        if (c >= '0' && c <= '9') {
            return 4;
        }
        switch (c) {
            case ' ':
            case '\\':
            case '.':
                return 12;
            case '-':
            case '/':
            case ':':
            case '"':
                return 6;
            default:
                return 1;
        }
    }

    private static boolean isAsciiLetter(char c) {
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'z';
    }
}
