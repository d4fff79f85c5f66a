package dev.bazahunt.kql;

/** One lexical token of a query, with its 1-based position. */
record KqlToken(Kind kind, String text, int line, int column) {

    enum Kind {
        /** A name: table, column, keyword or word operator ({@code where}, {@code has_any}, {@code and}). */
        NAME,
        /** A word operator written with a leading {@code !}, e.g. {@code !has}, {@code !in~}. */
        BANG_NAME,
        /** A string literal; {@link #text} is its value. */
        STRING,
        /** A symbol operator: {@code ==}, {@code !=}, {@code =~}, {@code !~}. */
        SYMBOL,
        PIPE,
        LEFT_PAREN,
        RIGHT_PAREN,
        COMMA,
        END
    }

    /** How the token reads in an error message. */
    String describe() {
        switch (kind) {
            case STRING:
                return "string \"" + text + "\"";
            case END:
                return "the end of the query";
            default:
                return "'" + text + "'";
        }
    }

    boolean is(Kind expected, String word) {
        return kind == expected && text.equals(word);
    }
}
