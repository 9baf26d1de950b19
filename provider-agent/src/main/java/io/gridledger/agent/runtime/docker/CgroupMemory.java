package io.gridledger.agent.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a job's memory record from the cgroup the agent gives its container as parent ({@code /gridledger/<name>}),
 * which the engine leaves in place after the container's own cgroup is gone. Podman 4 reports {@code OOMKilled=false}
 * after an out-of-memory kill; this is how the agent tells one anyway:
 *
 * <ul>
 *   <li>cgroup v2: {@code memory.events} of the parent counts {@code oom_kill} hierarchically: a count above 0 is
 *       proof;</li>
 *   <li>cgroup v1: OOM events are not hierarchical, but {@code memory.max_usage_in_bytes} of the parent is: a peak at
 *       or above the container's limit, with the process dead of SIGKILL (exit 137) that the agent did not send, is
 *       taken as the OOM kill. (The parent also holds Podman's conmon, about 1 MiB: a job that kills itself with
 *       SIGKILL within that distance of its limit would be misread.)</li>
 * </ul>
 */
final class CgroupMemory {

    private final Path root;
    private final java.util.Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CgroupMemory(Path root) {
        this.root = root;
    }

    /** Why the container at {@code parent} is known to have been OOM-killed, or empty. */
    Optional<String> oomEvidence(String parent, long limitBytes) {
        if (parent == null || parent.isBlank()) {
            return Optional.empty();
        }
        String relative = parent.startsWith("/") ? parent.substring(1) : parent;
        Path v1 = root.resolve("memory").resolve(relative).resolve("memory.max_usage_in_bytes");
        Path v2 = root.resolve(relative);
        try {
            if (Files.isRegularFile(v1)) {
                long peak = Long.parseLong(Files.readString(v1).trim());
                return peak >= limitBytes ? Optional.of("exit 137 (SIGKILL) not sent by the agent, with the job cgroup's "
                        + "peak memory " + peak + " >= its limit " + limitBytes + " (" + v1 + ")") : Optional.empty();
            }
            Path events = v2.resolve("memory.events");
            if (Files.isRegularFile(events)) {
                for (String line : Files.readAllLines(events)) {
                    if (line.startsWith("oom_kill ") && Long.parseLong(line.substring(9).trim()) > 0) {
                        return Optional.of("oom_kill " + line.substring(9).trim() + " in " + events);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Removes the parent cgroup (and the empty cgroups under it) in every hierarchy that has it. Podman's conmon
     * leaves its sub-cgroup a moment after the container is removed: what is still busy is kept for
     * {@link #retryPending}.
     */
    void removeParent(String parent) {
        if (parent == null || !parent.startsWith(DockerJavaRuntime.CGROUP_PARENT_PREFIX)) {
            return;
        }
        if (!removeEverywhere(parent.substring(1))) {
            pending.add(parent);
        }
    }

    /** Tries again to remove the parents that were busy; true when none is left. */
    boolean retryPending() {
        for (String parent : pending) {
            if (removeEverywhere(parent.substring(1))) {
                pending.remove(parent);
            }
        }
        return pending.isEmpty();
    }

    /**
     * Removes every job cgroup parent that no process uses: those of an agent that crashed, too. Meant for start-up
     * and orphan cleanup, not beside container starts (runc creates a parent, then its container's cgroup in it).
     * A running container's parent is busy (rmdir fails) and stays.
     */
    void sweep() {
        String base = DockerJavaRuntime.CGROUP_PARENT_PREFIX.substring(1);
        for (Path hierarchy : hierarchies()) {
            Path parents = hierarchy.resolve(base);
            if (!Files.isDirectory(parents)) {
                continue;
            }
            try (Stream<Path> each = Files.list(parents)) {
                each.filter(Files::isDirectory).forEach(CgroupMemory::removeTree);
            } catch (IOException e) {
                // Gone meanwhile.
            }
        }
        pending.clear();
    }

    private boolean removeEverywhere(String relative) {
        boolean gone = true;
        for (Path hierarchy : hierarchies()) {
            Path dir = hierarchy.resolve(relative);
            if (Files.isDirectory(dir)) {
                removeTree(dir);
                gone &= !Files.exists(dir);
            }
        }
        return gone;
    }

    /** The cgroup v2 root itself, and each v1 controller's hierarchy. */
    private List<Path> hierarchies() {
        var found = new ArrayList<Path>();
        found.add(root);
        try (Stream<Path> controllers = Files.list(root)) {
            controllers.filter(Files::isDirectory).forEach(found::add);
        } catch (IOException e) {
            // No cgroup file system here: nothing to remove.
        }
        return found;
    }

    private static void removeTree(Path dir) {
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(dir)) {
            dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return;
        }
        for (Path each : dirs) {
            try {
                Files.delete(each); // rmdir: a cgroup's pseudo-files go with it
            } catch (IOException e) {
                // Still busy (a process left) or already gone: the next cleanup tries again.
            }
        }
    }
}
