// What kafka-ui (the lab's console) asks a cluster when it connects, through
// the Java AdminClient it ships (kafka-clients 3.9): the cluster and its
// controller, the feature levels (its "version" comes from metadata.version)
// and the KRaft quorum (without one it calls the cluster ZooKeeper-based).
// Prints what the console would show, as facts comparable between brokers.
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.SupportedVersionRange;

public class KafkaUiCalls {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        try (Admin admin = Admin.create(props)) {
            DescribeClusterResult cluster =
                admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true));
            int controller = cluster.controller().get().id();
            System.out.println("brokers: " + cluster.nodes().get().size());
            System.out.println("controller is a broker: "
                + cluster.nodes().get().stream().anyMatch(n -> n.id() == controller));
            System.out.println("authorized operations: " + new TreeSet<>(cluster.authorizedOperations().get()));

            FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
            System.out.println("features epoch known: " + features.finalizedFeaturesEpoch().isPresent());
            Map<String, FinalizedVersionRange> finalized = new TreeMap<>(features.finalizedFeatures());
            FinalizedVersionRange metadata = finalized.get("metadata.version");
            System.out.println("metadata.version: " + (metadata == null ? "Unknown" : metadata.maxVersionLevel()));
            for (String name : args[1].split(",")) {
                FinalizedVersionRange level = finalized.get(name);
                SupportedVersionRange supported = features.supportedFeatures().get(name);
                System.out.println("feature " + name + ": finalized "
                    + (level == null ? "-" : level.minVersionLevel() + ".." + level.maxVersionLevel())
                    + ", supported " + (supported == null ? "-" : supported.minVersion() + ".." + supported.maxVersion()));
            }

            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
            System.out.println("KRaft quorum: leader is the controller " + (quorum.leaderId() == controller)
                + ", voters " + quorum.voters().size() + ", observers " + quorum.observers().size()
                + ", leader epoch positive " + (quorum.leaderEpoch() > 0)
                + ", high watermark known " + (quorum.highWatermark() >= 0));
            for (QuorumInfo.ReplicaState voter : quorum.voters()) {
                System.out.println("voter is the leader " + (voter.replicaId() == quorum.leaderId())
                    + ", caught up " + (voter.logEndOffset() >= quorum.highWatermark())
                    + ", last fetch known " + voter.lastFetchTimestamp().isPresent()
                    + ", last caught up known " + voter.lastCaughtUpTimestamp().isPresent());
            }
            System.out.println("quorum nodes: " + quorum.nodes().size());
        }
    }
}
