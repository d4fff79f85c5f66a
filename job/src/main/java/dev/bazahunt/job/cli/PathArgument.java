package dev.bazahunt.job.cli;

import java.net.URI;
import org.apache.flink.core.fs.Path;

/**
 * A path option as Flink's FileSystem reads it: a URI with a scheme ({@code s3://bucket/x},
 * {@code file:///data}) as given, and a plain local path made absolute against the working directory of
 * the process that parses it, so that a job submitted to a cluster gets the path the user meant.
 */
public final class PathArgument {
    private PathArgument() {}

    public static Path parse(String option, String text) throws UsageException {
        if (text == null || text.isBlank()) {
            throw new UsageException("--" + option + " needs a path or URI");
        }
        if (hasScheme(text)) {
            try {
                return new Path(URI.create(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + option + " " + text + " is not a valid URI: " + e.getMessage());
            }
        }
        return new Path(java.nio.file.Path.of(text).toAbsolutePath().normalize().toUri());
    }

    /** A scheme is letters, digits, +, - or . before "://"; a Windows drive letter is not one. */
    private static boolean hasScheme(String text) {
        int colon = text.indexOf("://");
        if (colon < 2) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
