package dev.nightjar.sensors.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Container id → pod, namespace and owning workload, from an informer on the pods scheduled to
 * this node (fabric8 kubernetes-client, in-cluster service-account config). The sensor asks it
 * for every container id it exports; the informer keeps the answer current without a request
 * per lookup.
 */
public final class KubernetesPods implements AutoCloseable {

    /** Where a container runs; {@code workloadKind} is Deployment, StatefulSet, DaemonSet, Job, … or Pod. */
    public record PodRef(String pod, String namespace, String workloadKind, String workloadName) {}

    private static final int MAX_CONTAINERS = 20_000;

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> informer;
    private final String nodeName;
    private volatile boolean failureReported;
    private final Map<String, PodRef> byContainer = new ConcurrentHashMap<>();
    private final Map<String, List<String>> containersOfPod = new ConcurrentHashMap<>();

    /**
     * {@code selectOnServer}: ask the API server for this node's pods only (field selector
     * {@code spec.nodeName}); the pods are filtered by node here either way.
     */
    KubernetesPods(KubernetesClient client, String nodeName, boolean selectOnServer) {
        this.client = client;
        this.nodeName = nodeName == null || nodeName.isBlank() ? null : nodeName;
        var pods = client.pods().inAnyNamespace();
        var selected = this.nodeName == null || !selectOnServer ? pods : pods.withField("spec.nodeName", nodeName);
        this.informer = selected.runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
                index(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                index(after);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                forget(uid(pod));
            }
        });
        // An API server that is down at start or later is retried for as long as the sensor runs;
        // the first failure is reported once, so a newcomer sees why pods have no names yet.
        informer.exceptionHandler((started, error) -> {
            if (!failureReported) {
                failureReported = true;
                System.err.println("nightjar-sensor: kubernetes API: " + error.getMessage() + " (retrying)");
            }
            return true;
        });
        informer.start();
    }

    /**
     * Starts when the process runs inside Kubernetes (the service environment every pod gets);
     * otherwise, or when the API refuses, returns empty with the reason in {@code why}.
     */
    public static Optional<KubernetesPods> inCluster(Map<String, String> env, List<String> why) {
        if (env.get("KUBERNETES_SERVICE_HOST") == null) {
            why.add("not running in Kubernetes (no KUBERNETES_SERVICE_HOST)");
            return Optional.empty();
        }
        return connect(new KubernetesClientBuilder().build(), env.get("NODE_NAME"), true, why);
    }

    /** Watches pods through {@code client} (a test points it at a mock API server). */
    static Optional<KubernetesPods> connect(
            KubernetesClient client, String nodeName, boolean selectOnServer, List<String> why) {
        try {
            return Optional.of(new KubernetesPods(client, nodeName, selectOnServer));
        } catch (RuntimeException e) {
            client.close();
            why.add("Kubernetes API: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The pod a container belongs to, by the id the sensor reads from the cgroup path. */
    public Optional<PodRef> byContainerId(String containerId) {
        if (containerId == null || containerId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byContainer.get(containerId));
    }

    private void index(Pod pod) {
        String uid = uid(pod);
        forget(uid);
        var meta = pod.getMetadata();
        var status = pod.getStatus();
        // The field selector already limits the watch to this node; an API server that ignores
        // it (or a pod rescheduled under the same name) must not name containers of other nodes.
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (meta == null || status == null || (nodeName != null && !nodeName.equals(node))) {
            return;
        }
        Workload workload = workload(pod);
        PodRef ref = new PodRef(meta.getName(), meta.getNamespace(), workload.kind(), workload.name());
        List<String> ids = new ArrayList<>();
        Stream.of(
                        status.getContainerStatuses(),
                        status.getInitContainerStatuses(),
                        status.getEphemeralContainerStatuses())
                .filter(l -> l != null)
                .flatMap(List::stream)
                .map(ContainerStatus::getContainerID)
                .map(KubernetesPods::bareId)
                .flatMap(Optional::stream)
                .forEach(id -> {
                    if (byContainer.size() < MAX_CONTAINERS) {
                        byContainer.put(id, ref);
                        ids.add(id);
                    }
                });
        containersOfPod.put(uid, ids);
    }

    private void forget(String uid) {
        List<String> ids = containersOfPod.remove(uid);
        if (ids != null) {
            ids.forEach(byContainer::remove);
        }
    }

    private static String uid(Pod pod) {
        var meta = pod.getMetadata();
        return meta == null ? "" : meta.getNamespace() + "/" + meta.getName();
    }

    /** "containerd://abc…" → "abc…" (the runtime's scheme, then the id the cgroup path carries). */
    static Optional<String> bareId(String containerId) {
        if (containerId == null) {
            return Optional.empty();
        }
        int scheme = containerId.indexOf("://");
        String id = scheme < 0 ? containerId : containerId.substring(scheme + 3);
        return id.matches("[0-9a-f]{12,64}") ? Optional.of(id) : Optional.empty();
    }

    record Workload(String kind, String name) {}

    /**
     * The controlling workload: a ReplicaSet's pods belong to its Deployment (the ReplicaSet is
     * named after the Deployment plus "-" and the pod-template-hash label). A Job stays a Job:
     * which CronJob made it is not knowable from the pod alone.
     */
    static Workload workload(Pod pod) {
        var meta = pod.getMetadata();
        List<OwnerReference> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
        OwnerReference owner = owners.stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst()
                .orElse(owners.isEmpty() ? null : owners.getFirst());
        if (owner == null) {
            return new Workload("Pod", meta.getName());
        }
        if ("ReplicaSet".equals(owner.getKind())) {
            String hash = meta.getLabels() == null ? null : meta.getLabels().get("pod-template-hash");
            if (hash != null && owner.getName().endsWith("-" + hash)) {
                return new Workload(
                        "Deployment",
                        owner.getName().substring(0, owner.getName().length() - hash.length() - 1));
            }
        }
        return new Workload(owner.getKind(), owner.getName());
    }

    /** True once the informer's watch is open, so later changes reach it as events. */
    boolean watching() {
        return informer.isWatching();
    }

    @Override
    public void close() {
        informer.close();
        client.close();
    }
}
