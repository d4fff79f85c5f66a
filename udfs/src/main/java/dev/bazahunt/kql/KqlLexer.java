package dev.bazahunt.kql;

/**
 * Splits a query into {@link KqlToken}s. Knows KQL's string literals ({@code '…'} and {@code "…"} with
 * backslash escapes, verbatim {@code @'…'} and {@code @"…"} in which a doubled quote stands for one) and
 * {@code //} comments to the end of the line. Anything else that is no name, operator or punctuation of
 * the subset is refused where it stands.
 */
final class KqlLexer {
    private final String text;
    private int at;
    private int line = 1;
    private int lineStart;

    KqlLexer(String text) {
        this.text = text;
    }

    /**
     * The next token; {@link KqlToken.Kind#END} at the end, again on every later call. Tokens are read
     * as the parser asks for them, so the first problem reported is the first one in the text, whether
     * the lexer or the parser finds it.
     */
    KqlToken next() {
        skipBlanksAndComments();
        int startLine = line;
        int startColumn = column();
        if (at >= text.length()) {
            return new KqlToken(KqlToken.Kind.END, "", startLine, startColumn);
        }
        char c = text.charAt(at);
        char after = at + 1 < text.length() ? text.charAt(at + 1) : '\0';
        if (c == '@' && (after == '"' || after == '\'')) {
            at++;
            return new KqlToken(KqlToken.Kind.STRING, verbatim(startLine, startColumn), startLine, startColumn);
        }
        if (c == '"' || c == '\'') {
            return new KqlToken(KqlToken.Kind.STRING, escaped(startLine, startColumn), startLine, startColumn);
        }
        if (isNameStart(c)) {
            return new KqlToken(KqlToken.Kind.NAME, name(), startLine, startColumn);
        }
        if (c == '!' && isNameStart(after)) {
            at++;
            return new KqlToken(KqlToken.Kind.BANG_NAME, "!" + name(), startLine, startColumn);
        }
        if ((c == '=' || c == '!') && (after == '=' || after == '~')) {
            at += 2;
            return new KqlToken(KqlToken.Kind.SYMBOL, "" + c + after, startLine, startColumn);
        }
        at++;
        switch (c) {
            case '|':
                return new KqlToken(KqlToken.Kind.PIPE, "|", startLine, startColumn);
            case '(':
                return new KqlToken(KqlToken.Kind.LEFT_PAREN, "(", startLine, startColumn);
            case ')':
                return new KqlToken(KqlToken.Kind.RIGHT_PAREN, ")", startLine, startColumn);
            case ',':
                return new KqlToken(KqlToken.Kind.COMMA, ",", startLine, startColumn);
            default:
                throw new KqlSyntaxException(startLine, startColumn, "'" + c + "' is not part of the supported KQL"
                        + " subset (numbers, arithmetic and other operators are not supported)");
        }
    }

    /** A name, and a trailing {@code ~} of {@code in~}. */
    private String name() {
        int start = at;
        while (at < text.length() && isNamePart(text.charAt(at))) {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '~' && text.startsWith("in", start) && at - start == 2) {
            at++;
        }
        return text.substring(start, at);
    }

    private String escaped(int startLine, int startColumn) {
        char quote = text.charAt(at++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length() || text.charAt(at) == '\n') {
                throw new KqlSyntaxException(startLine, startColumn, "string literal is not closed on its line");
            }
            char c = text.charAt(at++);
            if (c == quote) {
                return value.toString();
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw new KqlSyntaxException(startLine, startColumn, "string literal is not closed on its line");
            }
            char escape = text.charAt(at++);
            switch (escape) {
                case '\\':
                case '\'':
                case '"':
                    value.append(escape);
                    break;
                case 'n':
                    value.append('\n');
                    break;
                case 't':
                    value.append('\t');
                    break;
                case 'r':
                    value.append('\r');
                    break;
                default:
                    throw new KqlSyntaxException(line, column() - 2, "escape \\" + escape
                            + " is not supported; write the string verbatim with @\"…\" instead");
            }
        }
    }

    private String verbatim(int startLine, int startColumn) {
        char quote = text.charAt(at++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length() || text.charAt(at) == '\n') {
                throw new KqlSyntaxException(startLine, startColumn, "string literal is not closed on its line");
            }
            char c = text.charAt(at++);
            if (c == quote) {
                if (at < text.length() && text.charAt(at) == quote) {
                    value.append(quote); // a doubled quote stands for one
                    at++;
                    continue;
                }
                return value.toString();
            }
            value.append(c);
        }
    }

    private void skipBlanksAndComments() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                at++;
                line++;
                lineStart = at;
            } else if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '/' && at + 1 < text.length() && text.charAt(at + 1) == '/') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else {
                return;
            }
        }
    }

    private int column() {
        return at - lineStart + 1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
