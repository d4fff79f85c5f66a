package dev.bazahunt.job.cli;

/** A session cluster's REST endpoint, as {@code --jobmanager HOST:PORT} (Flink's {@code -m}) names it. */
public record ClusterAddress(String host, int port) {

    public static ClusterAddress parse(String option, String text) throws UsageException {
        String value = text.startsWith("http://") ? text.substring("http://".length()) : text;
        if (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException("--" + option + " needs HOST:PORT of the JobManager's REST endpoint, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option + " " + text + ": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("--" + option + " " + text + ": the port must be 1-65535");
        }
        return new ClusterAddress(value.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
