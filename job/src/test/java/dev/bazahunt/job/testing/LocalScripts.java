package dev.bazahunt.job.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Runs the project's own {@code deploy/local} scripts from tests, on ports nothing else holds. */
public final class LocalScripts {
    public static final Path DEPLOY_LOCAL = Path.of("").toAbsolutePath().getParent().resolve("deploy/local");

    private LocalScripts() {}

    /** Runs {@code deploy/local/<script> args...} and returns its output; fails on a non-zero exit. */
    public static String run(String script, String... args) throws Exception {
        return run(Map.of(), script, args);
    }

    /** The same, with these variables added to the script's environment (and so its children's). */
    public static String run(Map<String, String> environment, String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(DEPLOY_LOCAL.resolve(script).toString());
        command.addAll(List.of(args));
        // stderr apart from stdout: progress (e.g. Maven resolving jars) must not end up in the result line.
        Path errors = Files.createTempFile("bazahunt-script-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8) + Files.readString(errors));
            }
            return new String(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** The last line a script printed: its result (a bootstrap server, a job id, a number). */
    public static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].trim();
    }

    /**
     * Ports are picked below the range the kernel hands to outgoing connections (Linux: 32768-60999 by
     * default). A port picked inside it can go to any client socket in the seconds before the server it
     * was picked for binds it, and a TaskManager then runs without its metrics endpoint, say.
     */
    private static final int LOWEST_PORT = 20_000;
    private static final Random PORTS = new Random();

    /** The first of {@code count} consecutive ports that are all free now. */
    public static int freePortRange(int count) throws IOException {
        int below = firstEphemeralPort();
        if (below - count <= LOWEST_PORT) {
            throw new IOException("no ports below the ephemeral range (it starts at " + below + ")");
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = LOWEST_PORT + PORTS.nextInt(below - count - LOWEST_PORT);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IOException("found no " + count + " consecutive free ports between " + LOWEST_PORT + " and " + below);
    }

    public static int freePort() throws IOException {
        return freePortRange(1);
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** Where the kernel's range for outgoing connections starts; Linux's default where it cannot be read. */
    private static int firstEphemeralPort() {
        // One read of the whole line: a sysctl file answers a read that does not start at 0 with nothing,
        // and Files.readString reads a first byte alone.
        try (InputStream range = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(new String(range.readNBytes(64), StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }
}
