package dev.bazahunt.rules;

import dev.bazahunt.kql.KqlSyntaxException;

/**
 * Where a rule file's {@code query} text sits in the file, so that a KQL error at line:column of the
 * query is reported at line:column of the file an author edits. Knows the two shapes rule files use:
 * a block scalar ({@code query: |-} with the query indented on the following lines) and a one-line
 * plain scalar ({@code query: DeviceFileEvents | …}).
 */
final class QueryLocation {
    /** 1-based file line of the query's first line. */
    private final int firstLine;
    /** 0-based file column where each query line starts. */
    private final int indent;

    private QueryLocation(int firstLine, int indent) {
        this.firstLine = firstLine;
        this.indent = indent;
    }

    /** Finds the top-level {@code query:} key; null when the file has none in a shape known here. */
    static QueryLocation find(String yaml) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.startsWith("query:")) {
                continue;
            }
            String rest = line.substring("query:".length()).trim();
            if (rest.startsWith("|") || rest.startsWith(">")) {
                for (int j = i + 1; j < lines.length; j++) {
                    if (!lines[j].isBlank()) {
                        return new QueryLocation(j + 1, lines[j].length() - lines[j].stripLeading().length());
                    }
                }
                return null;
            }
            return new QueryLocation(i + 1, line.indexOf(rest, "query:".length()));
        }
        return null;
    }

    /** The error re-anchored in {@code file}; unchanged (query-relative) when the query was not found. */
    static KqlSyntaxException inFile(String file, String yaml, KqlSyntaxException error) {
        QueryLocation location = find(yaml);
        if (location == null) {
            return error.in(file + " (query line:column)", error.line(), error.column());
        }
        return error.in(file, location.firstLine + error.line() - 1, location.indent + error.column());
    }
}
