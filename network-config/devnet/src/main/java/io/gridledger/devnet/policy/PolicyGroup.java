package io.gridledger.devnet.policy;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The policies of one channel config group and its sub-groups, e.g. {@code Application} with its policies
 * (Readers, Writers, Admins, Endorsement, LifecycleEndorsement) and one sub-group per application org. Maps are
 * sorted by name so that iteration is deterministic.
 */
public record PolicyGroup(SortedMap<String, ConfigPolicy> policies, SortedMap<String, PolicyGroup> groups) {

    public PolicyGroup {
        policies = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(policies, "policies")));
        groups = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(groups, "groups")));
    }

    /** A group with these policies and sub-groups (copied). */
    public static PolicyGroup of(Map<String, ? extends ConfigPolicy> policies, Map<String, PolicyGroup> groups) {
        return new PolicyGroup(new TreeMap<String, ConfigPolicy>(policies), new TreeMap<>(groups));
    }

    /** A group with policies and no sub-groups, such as an org. */
    public static PolicyGroup leaf(Map<String, ? extends ConfigPolicy> policies) {
        return of(policies, Map.of());
    }
}
