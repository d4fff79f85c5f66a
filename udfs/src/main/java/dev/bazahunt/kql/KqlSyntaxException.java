package dev.bazahunt.kql;

/**
 * A query that is not in bazahunt's KQL subset, or is not valid KQL, with the 1-based line and column
 * where the problem starts. Positions are in the query text; {@link #in} re-anchors them in the file
 * that holds the query, so the message reads {@code rules/x.yaml:14:5: ...}.
 */
public final class KqlSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public KqlSyntaxException(int line, int column, String problem) {
        this(null, line, column, problem);
    }

    private KqlSyntaxException(String source, int line, int column, String problem) {
        super((source == null ? "query " : source + ":") + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The same problem, positioned in {@code source} (a file name) at its own line and column. */
    public KqlSyntaxException in(String source, int line, int column) {
        return new KqlSyntaxException(source, line, column, problem);
    }

    /** Where the problem is reported: a file name, or null for a bare query. */
    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without its position. */
    public String problem() {
        return problem;
    }
}
