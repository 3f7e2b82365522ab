package dev.nightjar.sensors.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.k8s.KubernetesPods.PodRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Pod awareness against fabric8's Kubernetes mock API server (a real HTTP server on loopback in
 * CRUD mode): no Kubernetes cluster can run on the machines these tests run on.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPodsTest {

    private static final String WEB = "a".repeat(64);
    private static final String SIDECAR = "b".repeat(64);
    private static final String DB = "c".repeat(64);
    private static final String ELSEWHERE = "d".repeat(64);

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void containersMapToPodNamespaceAndWorkloadOfThisNode() {
        client.pods()
                .inNamespace("shop")
                .resource(pod(
                        "shop",
                        "web-7d9f8-x2x",
                        "node-a",
                        "ReplicaSet",
                        "web-7d9f8",
                        "7d9f8",
                        "containerd://" + WEB,
                        "containerd://" + SIDECAR))
                .create();
        client.pods()
                .inNamespace("data")
                .resource(pod("data", "db-0", "node-a", "StatefulSet", "db", null, "cri-o://" + DB))
                .create();
        client.pods()
                .inNamespace("shop")
                .resource(pod("shop", "other", "node-b", null, null, null, "containerd://" + ELSEWHERE))
                .create();

        List<String> why = new ArrayList<>();
        // The mock API server only filters on name and namespace fields, not spec.nodeName, so the
        // node is selected on this side alone here.
        KubernetesPods pods = KubernetesPods.connect(server.createClient(), "node-a", false, why)
                .orElseThrow();
        try {
            PodRef web = await(() -> pods.byContainerId(WEB));
            assertThat(web).isEqualTo(new PodRef("web-7d9f8-x2x", "shop", "Deployment", "web"));
            assertThat(pods.byContainerId(SIDECAR)).contains(web);
            assertThat(await(() -> pods.byContainerId(DB))).isEqualTo(new PodRef("db-0", "data", "StatefulSet", "db"));
            assertThat(pods.byContainerId(ELSEWHERE))
                    .as("a pod of another node")
                    .isEmpty();
            assertThat(pods.byContainerId("")).isEmpty();
            assertThat(pods.byContainerId(null)).isEmpty();

            // A deleted pod's containers are forgotten. The delete must come after the informer's watch
            // opened: a real API server replays what happened since the list, the mock server does not.
            await(() -> pods.watching() ? Optional.of(true) : Optional.empty());
            client.pods().inNamespace("data").withName("db-0").delete();
            await(() -> pods.byContainerId(DB).isEmpty() ? Optional.of(true) : Optional.empty());
        } finally {
            pods.close();
        }
    }

    @Test
    void anUnreachableApiServerIsRetriedWithoutFailingTheSensor() {
        int closedPort = dev.nightjar.testing.FreePorts.next();
        KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + closedPort)
                        .withRequestTimeout(500)
                        .withConnectionTimeout(500)
                        .build())
                .build();
        List<String> why = new ArrayList<>();
        KubernetesPods pods =
                KubernetesPods.connect(unreachable, "node-a", true, why).orElseThrow();
        try {
            assertThat(why).isEmpty();
            assertThat(pods.byContainerId(WEB)).isEmpty();
        } finally {
            pods.close();
        }
    }

    @Test
    void outsideKubernetesItIsOffAndSaysWhy() {
        List<String> why = new ArrayList<>();
        assertThat(KubernetesPods.inCluster(Map.of(), why)).isEmpty();
        assertThat(why).singleElement().asString().contains("not running in Kubernetes");
    }

    @Test
    void hostileContainerIdsAndOwnersAreHandled() {
        assertThat(KubernetesPods.bareId("containerd://" + WEB)).contains(WEB);
        assertThat(KubernetesPods.bareId("docker://../../etc")).isEmpty();
        assertThat(KubernetesPods.bareId("containerd://")).isEmpty();
        assertThat(KubernetesPods.bareId(null)).isEmpty();
        assertThat(KubernetesPods.bareId("x".repeat(100_000))).isEmpty();
        // A ReplicaSet whose name does not end in the template hash is reported as itself.
        Pod odd = pod("ns", "p", "node-a", "ReplicaSet", "standalone", "zzz", "containerd://" + WEB);
        assertThat(KubernetesPods.workload(odd)).isEqualTo(new KubernetesPods.Workload("ReplicaSet", "standalone"));
        Pod bare = pod("ns", "p", "node-a", null, null, null, "containerd://" + WEB);
        assertThat(KubernetesPods.workload(bare)).isEqualTo(new KubernetesPods.Workload("Pod", "p"));
    }

    private static Pod pod(
            String namespace,
            String name,
            String node,
            String ownerKind,
            String owner,
            String hash,
            String... containerIds) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec();
        if (hash != null) {
            b.editMetadata().addToLabels("pod-template-hash", hash).endMetadata();
        }
        if (ownerKind != null) {
            b.editMetadata()
                    .addNewOwnerReference()
                    .withKind(ownerKind)
                    .withName(owner)
                    .withController(true)
                    .withApiVersion("apps/v1")
                    .withUid("uid-" + owner)
                    .endOwnerReference()
                    .endMetadata();
        }
        var status = b.withNewStatus();
        for (int i = 0; i < containerIds.length; i++) {
            status.addNewContainerStatus()
                    .withName("c" + i)
                    .withContainerID(containerIds[i])
                    .endContainerStatus();
        }
        return status.endStatus().build();
    }

    private static <T> T await(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the informer did not deliver it within 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
