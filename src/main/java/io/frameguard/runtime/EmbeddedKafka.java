package io.frameguard.runtime;

import io.frameguard.FrameGuardException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka cluster in this JVM, in KRaft mode (combined controller and broker nodes),
 * from Kafka's own test kit. For {@code serve --embedded}, the demo and the integration tests; a
 * production line runs a real cluster instead.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** One combined KRaft node on a free localhost port. */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, 1, Map.of());
    }

    /**
     * {@code brokers} combined KRaft nodes on free localhost ports, with data under {@code dataDir}
     * (deleted on close); {@code brokerConfig} applies to every node.
     */
    public static EmbeddedKafka start(Path dataDir, int brokers, Map<String, String> brokerConfig) {
        try {
            Files.createDirectories(dataDir);
            // The test kit would format with the newest metadata.version, unreleased ones included;
            // the embedded broker runs the released one, as `kafka-storage format` does.
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(brokers)
                    .setBaseDirectory(Files.createTempDirectory(dataDir, "kraft-"))
                    .build();
            KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes);
            int rf = Math.min(3, brokers);
            b.setConfigProp("offsets.topic.replication.factor", Integer.toString(rf));
            b.setConfigProp("transaction.state.log.replication.factor", Integer.toString(rf));
            b.setConfigProp("transaction.state.log.min.isr", Integer.toString(Math.min(2, rf)));
            b.setConfigProp("group.initial.rebalance.delay.ms", "0");
            b.setConfigProp("auto.create.topics.enable", "false");
            brokerConfig.forEach(b::setConfigProp);
            KafkaClusterTestKit cluster = b.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new FrameGuardException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(List<String> names, int partitions) {
        createTopics(bootstrapServers(), Map.of(), names, partitions, (short) Math.min(3, cluster.brokers().size()));
    }

    /** Creates topics on any cluster; existing ones are left alone. */
    public static void createTopics(String bootstrap, Map<String, Object> clientConfig, List<String> names, int partitions,
                                    short replication) {
        Map<String, Object> cfg = new java.util.HashMap<>(clientConfig);
        cfg.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(cfg)) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, replication))).all().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new FrameGuardException("cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new FrameGuardException("cannot create topics on " + bootstrap + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new FrameGuardException("embedded Kafka did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
