package dev.nightjar.sensors;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container ids from cgroup names as containerd, Docker, CRI-O and Podman create them
 * ("cri-containerd-&lt;id&gt;.scope", "docker-&lt;id&gt;.scope", "crio-&lt;id&gt;.scope", "libpod-&lt;id&gt;.scope",
 * or a bare 64-hex directory under cgroupfs drivers).
 */
final class ContainerIds {

    private static final Pattern ID =
            Pattern.compile("^(?:cri-containerd-|docker-|crio-|libpod-)?([0-9a-f]{64})(?:\\.scope)?$");

    private ContainerIds() {}

    /** The container id in a cgroup leaf name or full path; empty for host processes. */
    static Optional<String> fromCgroup(String cgroup) {
        if (cgroup == null || cgroup.isEmpty() || cgroup.length() > 4096) {
            return Optional.empty();
        }
        String leaf = cgroup.substring(cgroup.lastIndexOf('/') + 1);
        Matcher m = ID.matcher(leaf);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
