package dev.bazahunt.tuning;

/**
 * An exclusions file that cannot be used. The message names the file, the line and what is wrong, e.g.
 * {@code seed-scenarios.yaml line 14: unknown column 'InitiatingProcessComandLine'}, because the person
 * who fixes it is looking at that file in an editor.
 */
public final class ExclusionFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int line;

    ExclusionFileException(String sourceName, int line, String problem, Throwable cause) {
        super(sourceName + " line " + line + ": " + problem, cause);
        this.sourceName = sourceName;
        this.line = line;
    }

    ExclusionFileException(String sourceName, int line, String problem) {
        this(sourceName, line, problem, null);
    }

    public String sourceName() {
        return sourceName;
    }

    /** 1-based line in the file where the problem is. */
    public int line() {
        return line;
    }
}
