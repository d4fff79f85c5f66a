package dev.bazahunt.job.bench;

import dev.bazahunt.job.replay.ReplayRun;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One embedded Flink cluster that stays up for all of the bench's job runs, as a session cluster stays up
 * for its jobs. While it is open, {@link StreamExecutionEnvironment#getExecutionEnvironment} hands the
 * replay command an environment that submits to it.
 *
 * <p>Why not a fresh embedded cluster per run, as {@code bazahunt replay} starts: every MiniCluster loads
 * Flink's RPC system (Pekko) in a classloader of its own, so each run's JIT compiles those classes anew, on
 * the same two cores the readers need. That cost does not shrink with the runs and does not cancel between
 * the small and the large dataset: it only adds noise to the difference of two timings.
 */
final class BenchCluster implements AutoCloseable {
    private static final long CLOSE_TIMEOUT_SECONDS = 60;
    private final MiniCluster cluster;

    private BenchCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a cluster of one TaskManager with {@code slots} slots and makes it the jobs' environment. */
    static BenchCluster start(int slots) throws Exception {
        Configuration config = new Configuration();
        config.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        ClusterEnvironment.install(cluster);
        return new BenchCluster(cluster);
    }

    @Override
    public void close() throws Exception {
        ClusterEnvironment.uninstall();
        cluster.closeAsync().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** An environment whose jobs go to the bench's cluster, attached, and leave it running when they end. */
    private static final class ClusterEnvironment extends StreamExecutionEnvironment {
        /** A target that {@link ReplayRun} knows runs the job in this JVM. */
        private static final String TARGET = ReplayRun.RUNNING_MINICLUSTER_TARGET;

        private ClusterEnvironment(MiniCluster cluster, Configuration config) {
            super(new SingleExecutorLoader(cluster), attachedTo(config), null);
        }

        private static Configuration attachedTo(Configuration config) {
            Configuration attached = new Configuration(config);
            attached.set(DeploymentOptions.TARGET, TARGET);
            attached.set(DeploymentOptions.ATTACHED, true);
            return attached;
        }

        static void install(MiniCluster cluster) {
            initializeContextEnvironment(config -> new ClusterEnvironment(cluster, config));
        }

        static void uninstall() {
            resetContextEnvironment();
        }
    }

    private record SingleExecutorLoader(MiniCluster cluster) implements PipelineExecutorServiceLoader {
        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return new PipelineExecutorFactory() {
                @Override
                public String getName() {
                    return ClusterEnvironment.TARGET;
                }

                @Override
                public boolean isCompatibleWith(Configuration config) {
                    return true;
                }

                @Override
                public PipelineExecutor getExecutor(Configuration config) {
                    return SingleExecutorLoader.this::submit;
                }
            };
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(ClusterEnvironment.TARGET);
        }

        private CompletableFuture<JobClient> submit(Pipeline pipeline, Configuration config, ClassLoader classLoader)
                throws Exception {
            StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, config);
            graph.serializeUserDefinedInstances();
            return cluster.submitJob(graph).thenApply(submitted -> new MiniClusterJobClient(submitted.getJobID(), cluster,
                    classLoader, MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
        }
    }
}
