package dev.bazahunt.job.cli;

/** A bad command line: the CLI prints the message and the command's usage, and exits with code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
