package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A standalone Flink session cluster for tests, driven through {@code deploy/local/flink-cluster.sh}
 * (a JobManager and TaskManagers as separate JVMs, free ports, a temp work dir) and observed through its
 * REST API, as an operator would. {@link #close()} stops every JVM it started, also when a test fails.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ports kept free above the metrics port: taskmanager-N serves its metrics on that port + N. */
    private static final int METRICS_PORTS = 8;

    private final Path workDir;
    private final String restUrl;
    private final int metricsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalFlinkCluster(Path workDir, String restUrl, int metricsPort) {
        this.workDir = workDir;
        this.restUrl = restUrl;
        this.metricsPort = metricsPort;
    }

    public static LocalFlinkCluster start(Path workDir, int taskManagers) throws Exception {
        return start(workDir, taskManagers, List.of(), Map.of());
    }

    /**
     * @param flinkOptions {@code -Dkey=value} options for every process of the cluster
     * @param environment variables the cluster's processes inherit (e.g. AWS_ACCESS_KEY_ID)
     */
    public static LocalFlinkCluster start(Path workDir, int taskManagers, List<String> flinkOptions,
            Map<String, String> environment) throws Exception {
        LocalFlinkCluster cluster = null;
        try {
            int metricsPort = LocalScripts.freePortRange(METRICS_PORTS);
            List<String> args = new ArrayList<>(List.of("start", "--taskmanagers", String.valueOf(taskManagers),
                    "--rest-port", String.valueOf(LocalScripts.freePort()),
                    "--rpc-port", String.valueOf(LocalScripts.freePort()),
                    "--metrics-port", String.valueOf(metricsPort), "--work-dir", workDir.toString()));
            args.addAll(flinkOptions);
            String output = LocalScripts.run(environment, "flink-cluster.sh", args.toArray(String[]::new));
            cluster = new LocalFlinkCluster(workDir, LocalScripts.lastLine(output), metricsPort);
            return cluster;
        } finally {
            if (cluster == null) {
                // A half-started cluster (say the second TaskManager failed) must not outlive the test.
                stopQuietly(workDir);
            }
        }
    }

    /** Submits the shaded job jar through the REST API; returns the job id. */
    public String submit(Path jar, List<String> programArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("submit", "--via", "rest", "--jar", jar.toString(),
                "--work-dir", workDir.toString(), "--"));
        command.addAll(programArgs);
        return LocalScripts.lastLine(LocalScripts.run("flink-cluster.sh", command.toArray(String[]::new)));
    }

    /** Flink's own CLI ({@code flink run}, {@code flink list}, ...) against this cluster; returns its output. */
    public String flinkCli(List<String> cliArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("flink", "--work-dir", workDir.toString(), "--"));
        command.addAll(cliArgs);
        return LocalScripts.run("flink-cluster.sh", command.toArray(String[]::new));
    }

    /** What {@code flink-cluster.sh status} prints. */
    public String status() throws Exception {
        return LocalScripts.run("flink-cluster.sh", "status", "--work-dir", workDir.toString());
    }

    /** host:port of the REST endpoint, as {@code --jobmanager} and {@code flink run -m} take it. */
    public String jobManagerAddress() {
        return URI.create(restUrl).getAuthority();
    }

    public String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The job's state once it is FINISHED, FAILED or CANCELED. */
    public String awaitTermination(String jobId, Duration timeout) throws Exception {
        String[] state = new String[1];
        Await.until("job " + jobId + " to end", timeout, () -> {
            state[0] = jobState(jobId);
            return List.of("FINISHED", "FAILED", "CANCELED").contains(state[0]);
        });
        return state[0];
    }

    /** The shaded job jar that {@code mvn package} built; ITs run after package. */
    public static Path shadedJobJar() throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("bazahunt-job-.*-shaded\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no target/bazahunt-job-*-shaded.jar: run this test with 'mvn verify', after package"))
                    .toAbsolutePath();
        }
    }

    /** kill -9 of one TaskManager JVM: no shutdown hook runs, as when a machine dies. */
    public void killTaskManager(int number) throws Exception {
        LocalScripts.run("flink-cluster.sh", "kill-taskmanager", String.valueOf(number), "--work-dir", workDir.toString());
    }

    /** Starts one more TaskManager and waits until it registered; returns its number. */
    public int startTaskManager() throws Exception {
        return Integer.parseInt(LocalScripts.lastLine(
                LocalScripts.run("flink-cluster.sh", "start-taskmanager", "--work-dir", workDir.toString())));
    }

    /** What taskmanager-N's Prometheus reporter serves now, in the text exposition format. */
    public String scrapeTaskManager(int number) throws IOException, InterruptedException {
        return scrape(URI.create("http://localhost:" + (metricsPort + number) + "/metrics"));
    }

    public String scrapeJobManager() throws IOException, InterruptedException {
        return scrape(URI.create("http://localhost:" + metricsPort + "/metrics"));
    }

    private String scrape(URI endpoint) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + endpoint + " answered " + response.statusCode());
        }
        return response.body();
    }

    public String restUrl() {
        return restUrl;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(restUrl + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The job is RUNNING and so is every one of its tasks (a job can be RUNNING while tasks redeploy). */
    public boolean fullyRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** How many times the job restored from a checkpoint. */
    public long restores(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("restored").asLong();
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(restUrl + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Override
    public void close() {
        stopQuietly(workDir);
    }

    private static void stopQuietly(Path workDir) {
        try {
            LocalScripts.run("flink-cluster.sh", "stop", "--work-dir", workDir.toString());
        } catch (Exception e) {
            System.err.println("could not stop the local Flink cluster in " + workDir + ": " + e);
        }
    }
}
