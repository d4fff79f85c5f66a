package dev.bazahunt.job.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * s3proxy and Azurite for a test, started and stopped through the project's own
 * {@code deploy/local/objectstore.sh}, with their data under the test's own directory. s3proxy gets a
 * free port. Azurite stays on 10000: hadoop-azure's emulator mode ({@code wasb://c@storageemulator/})
 * always connects there, so a test that needs it fails with a clear message when the port is taken.
 */
public final class LocalObjectStore implements AutoCloseable {
    /** The S3 keys of the local emulator, as {@code objectstore.sh env} prints them. */
    public static final String ACCESS_KEY = "bazahunt-local";
    public static final String SECRET_KEY = "bazahunt-local-secret";
    public static final int AZURITE_PORT = 10000;

    private final Path dataDir;
    private final int s3Port;

    private LocalObjectStore(Path dataDir, int s3Port) {
        this.dataDir = dataDir;
        this.s3Port = s3Port;
    }

    /** Starts s3proxy, and Azurite too when {@code withAzurite}. */
    public static LocalObjectStore start(Path dataDir, boolean withAzurite) throws Exception {
        if (withAzurite && portTaken(AZURITE_PORT)) {
            throw new IllegalStateException("127.0.0.1:" + AZURITE_PORT + " is taken; hadoop-azure's emulator mode"
                    + " needs Azurite there");
        }
        int s3Port = LocalScripts.freePort();
        LocalObjectStore store = new LocalObjectStore(dataDir, s3Port);
        try {
            List<String> args = new java.util.ArrayList<>(List.of("start", "--s3-port", String.valueOf(s3Port),
                    "--blob-port", String.valueOf(AZURITE_PORT), "--data-dir", dataDir.toString()));
            if (!withAzurite) {
                args.addAll(List.of("--only", "s3"));
            }
            LocalScripts.run("objectstore.sh", args.toArray(String[]::new));
            return store;
        } catch (Exception e) {
            store.close();
            throw e;
        }
    }

    private static boolean portTaken(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** The -D options that point Flink's S3 file system here; the keys come from {@link #credentials()}. */
    public List<String> s3Options() {
        return List.of("-Ds3.endpoint=" + s3Endpoint(), "-Ds3.path.style.access=true");
    }

    /** The environment that carries the S3 keys, as a user exports them. */
    public Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    public void makeBucket(String bucket) throws Exception {
        LocalScripts.run("objectstore.sh", "mb", "s3://" + bucket, "--data-dir", dataDir.toString());
    }

    /** Uploads a local tree through the S3 API, paths kept. */
    public void upload(Path localDir, String s3Uri) throws Exception {
        LocalScripts.run("objectstore.sh", "upload", localDir.toString(), s3Uri, "--data-dir", dataDir.toString());
    }

    /** Where s3proxy's file system backend keeps an object: to read what the job wrote, bypassing Flink. */
    public Path objectFile(String bucket, String key) {
        return dataDir.resolve("s3").resolve(bucket).resolve(key);
    }

    @Override
    public void close() {
        try {
            LocalScripts.run("objectstore.sh", "stop", "--data-dir", dataDir.toString());
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the object stores in " + dataDir, e);
        }
    }
}
