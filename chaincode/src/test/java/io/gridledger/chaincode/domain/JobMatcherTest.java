package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Job.Unmatched.Reason;
import io.gridledger.chaincode.domain.JobMatcher.Matched;
import io.gridledger.chaincode.domain.JobMatcher.Unmatched;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.ToIntFunction;

import static io.gridledger.chaincode.domain.Fixtures.ORG1;
import static io.gridledger.chaincode.domain.Fixtures.ORG2;
import static io.gridledger.chaincode.domain.Fixtures.ORG3;
import static io.gridledger.chaincode.domain.Fixtures.ORGS;
import static io.gridledger.chaincode.domain.Fixtures.cpuSlot;
import static io.gridledger.chaincode.domain.Fixtures.job;
import static io.gridledger.chaincode.domain.Fixtures.jobSpecBuilder;
import static io.gridledger.chaincode.domain.Fixtures.node;
import static io.gridledger.chaincode.domain.Fixtures.resourcesBuilder;
import static io.gridledger.chaincode.domain.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;

class JobMatcherTest {

    private static final int NO_LIMIT = 200;
    private static final ToIntFunction<String> NO_REPUTATION_ASKED = node -> {
        throw new AssertionError("reputation of " + node + " asked for a job without a floor");
    };

    private static final String A = node(ORG1, "a");
    private static final String B = node(ORG1, "b");
    private static final String C = node(ORG2, "c");
    private static final String D = node(ORG2, "d");
    private static final String E = node(ORG3, "e");

    /** A replicated CPU job without a reputation floor. */
    private static final Job JOB = job(jobSpecBuilder("job-m").replicated(3, 2).build());

    private static Job jobWithFloor(int minReputation) {
        return job(jobSpecBuilder("job-m").replicated(3, 2).minReputation(minReputation).build());
    }

    private static JobMatcher.Result match(int needed, Replica.Slot... candidates) {
        return JobMatcher.match(JOB, needed, Set.of(), Set.of(), List.of(candidates), NO_REPUTATION_ASKED, NO_LIMIT);
    }

    private static List<Replica.Slot> matched(JobMatcher.Result result) {
        assertThat(result).isInstanceOf(Matched.class);
        return ((Matched) result).slots();
    }

    private static Unmatched unmatched(JobMatcher.Result result) {
        assertThat(result).isInstanceOf(Unmatched.class);
        return (Unmatched) result;
    }

    /** Slot {@code index} of a node's offer. */
    private static Replica.Slot slotOf(String nodeId, int index, long price) {
        return slot(nodeId, index, price, cpuSlot());
    }

    /** A slot too small for {@link #JOB}: 1 GiB of memory where the job needs 2. */
    private static Replica.Slot smallSlot(String nodeId, long price) {
        return slot(nodeId, 0, price, resourcesBuilder().cpuMillis(8_000).memoryMiB(1_024).storageMiB(100_000).build());
    }

    /**
     * Candidates read the way the ledger serves them: lazily, one state read per candidate fetched by
     * {@code hasNext()}. Counts the reads.
     */
    static final class CountingCandidates implements Iterable<Replica.Slot> {
        private final List<Replica.Slot> slots;
        int reads;

        CountingCandidates(List<Replica.Slot> slots) {
            this.slots = slots;
        }

        @Override
        public Iterator<Replica.Slot> iterator() {
            return new Iterator<>() {
                private int position;
                private Replica.Slot fetched;

                @Override
                public boolean hasNext() {
                    if (fetched == null && position < slots.size()) {
                        fetched = slots.get(position++);
                        reads++;
                    }
                    return fetched != null;
                }

                @Override
                public Replica.Slot next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    var slot = fetched;
                    fetched = null;
                    return slot;
                }
            };
        }
    }

    // ---- properties -------------------------------------------------------------------------------------

    record Market(List<Replica.Slot> candidates, Set<String> unavailable, int needed, int scanLimit) {
    }

    @Property(tries = 500)
    void places_replicas_on_distinct_nodes_and_as_many_orgs_as_the_scanned_market_allows(@ForAll("markets") Market market) {
        var candidates = new CountingCandidates(market.candidates());

        var result = JobMatcher.match(JOB, market.needed(), market.unavailable(), Set.of(), candidates,
                NO_REPUTATION_ASKED, market.scanLimit());

        assertThat(candidates.reads).isLessThanOrEqualTo(market.scanLimit());
        var window = market.candidates().subList(0, Math.min(market.scanLimit(), market.candidates().size()));
        var eligible = window.stream().filter(s -> !market.unavailable().contains(s.nodeId())).toList();
        var eligibleNodes = eligible.stream().map(Replica.Slot::nodeId).distinct().count();
        var eligibleOrgs = eligible.stream().map(Replica.Slot::org).distinct().count();
        if (result instanceof Matched matched) {
            var slots = matched.slots();
            assertThat(slots).hasSize(market.needed());
            assertThat(slots).allMatch(window::contains);
            assertThat(slots).extracting(Replica.Slot::nodeId).doesNotHaveDuplicates()
                    .noneMatch(market.unavailable()::contains);
            assertThat(slots.stream().map(Replica.Slot::org).distinct().count())
                    .isEqualTo(Math.min(market.needed(), eligibleOrgs));
        } else {
            assertThat(eligibleNodes).isLessThan(market.needed());
            assertThat(((Unmatched) result).scanned()).isEqualTo(window.size());
        }
    }

    @Provide
    Arbitrary<Market> markets() {
        var nodes = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            nodes.add(node(ORGS.get(i % 4), "n" + i));
        }
        var slotArbitrary = Combinators.combine(Arbitraries.of(nodes), Arbitraries.integers().between(0, 3))
                .as((nodeId, index) -> slotOf(nodeId, index, 10));
        return Combinators.combine(
                slotArbitrary.list().ofMaxSize(30),
                Arbitraries.of(nodes).set().ofMaxSize(4),
                Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 40)
        ).as((slots, unavailable, needed, limit) -> {
            // the market index never lists one slot twice
            var unique = new ArrayList<>(new LinkedHashSet<>(slots));
            return new Market(unique, unavailable, needed, limit);
        });
    }

    // ---- examples ---------------------------------------------------------------------------------------

    @Nested
    class Price {

        @Test
        void takes_the_cheapest_candidate_first() {
            var cheap = slot(A, 10);

            assertThat(matched(match(1, cheap, slot(C, 20), slot(E, 30)))).containsExactly(cheap);
        }

        @Test
        void takes_the_cheapest_candidates_of_different_orgs() {
            var cheap = slot(A, 10);
            var middle = slot(C, 20);

            assertThat(matched(match(2, cheap, middle, slot(E, 30)))).containsExactly(cheap, middle);
        }

        @Test
        void breaks_ties_by_candidate_order() {
            var first = slot(C, 10);
            var second = slot(A, 10);

            assertThat(matched(match(1, first, second))).containsExactly(first);
            assertThat(matched(match(1, second, first))).containsExactly(second);
        }
    }

    @Nested
    class Diversity {

        @Test
        void never_places_two_replicas_on_one_node() {
            var first = slotOf(A, 0, 10);
            var sameNode = slotOf(A, 1, 10);
            var other = slotOf(C, 0, 50);

            assertThat(matched(match(2, first, sameNode, other))).containsExactly(first, other);
        }

        @Test
        void prefers_a_dearer_slot_of_another_org_to_a_cheaper_one_of_the_same_org() {
            var cheapest = slot(A, 10);
            var sameOrg = slot(B, 11);
            var otherOrg = slot(C, 30);

            assertThat(matched(match(2, cheapest, sameOrg, otherOrg))).containsExactly(cheapest, otherOrg);
        }

        @Test
        void falls_back_to_other_nodes_of_the_same_org_when_no_other_org_is_available() {
            var first = slot(A, 10);
            var second = slot(B, 11);

            assertThat(matched(match(2, first, second))).containsExactly(first, second);
        }

        @Test
        void uses_as_many_orgs_as_available_and_fills_up_with_the_cheapest_other_nodes() {
            var a = slot(A, 10);
            var b = slot(B, 11);
            var c = slot(C, 12);
            var d = slot(D, 13);

            // two orgs for three replicas: one per org first, then the cheapest remaining node
            assertThat(matched(match(3, a, b, c, d))).containsExactly(a, c, b);
        }

        @Test
        void avoids_orgs_already_serving_the_job() {
            var sameOrgAsRunning = slot(A, 10);
            var otherOrg = slot(C, 40);

            var result = JobMatcher.match(JOB, 1, Set.of(), Set.of(ORG1), List.of(sameOrgAsRunning, otherOrg),
                    NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).containsExactly(otherOrg);
        }

        @Test
        void falls_back_to_an_org_already_serving_the_job() {
            var sameOrgAsRunning = slot(B, 10);

            var result = JobMatcher.match(JOB, 1, Set.of(A), Set.of(ORG1), List.of(sameOrgAsRunning),
                    NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).containsExactly(sameOrgAsRunning);
        }
    }

    @Nested
    class Eligibility {

        @Test
        void skips_unavailable_nodes() {
            var excluded = slot(A, 10);
            var available = slot(C, 20);

            var result = JobMatcher.match(JOB, 1, Set.of(A), Set.of(), List.of(excluded, available), NO_REPUTATION_ASKED,
                    NO_LIMIT);

            assertThat(matched(result)).containsExactly(available);
        }

        @Test
        void skips_slots_lacking_resources() {
            var tooSmall = smallSlot(A, 10);
            var fits = slot(C, 20);

            assertThat(matched(match(1, tooSmall, fits))).containsExactly(fits);
        }

        @Test
        void skips_nodes_below_the_reputation_floor() {
            var reputations = Map.of(A, 499, C, 500);
            var lowRated = slot(A, 10);
            var rated = slot(C, 20);

            var result = JobMatcher.match(jobWithFloor(500), 1, Set.of(), Set.of(), List.of(lowRated, rated),
                    reputations::get, NO_LIMIT);

            assertThat(matched(result)).containsExactly(rated);
        }

        @Test
        void asks_a_node_reputation_once_however_many_slots_it_offers() {
            var asked = new HashMap<String, Integer>();
            ToIntFunction<String> reputation = node -> {
                asked.merge(node, 1, Integer::sum);
                return 100;
            };

            JobMatcher.match(jobWithFloor(500), 2, Set.of(), Set.of(),
                    List.of(slotOf(A, 0, 10), slotOf(A, 1, 10), slotOf(A, 2, 10), slotOf(C, 0, 20)), reputation, NO_LIMIT);

            assertThat(asked).containsExactlyInAnyOrderEntriesOf(Map.of(A, 1, C, 1));
        }

        @Test
        void does_not_ask_reputations_for_a_job_without_a_floor() {
            assertThat(matched(match(1, slot(A, 10)))).hasSize(1);
        }
    }

    @Nested
    class Cost {

        @Test
        void stops_reading_candidates_at_the_scan_limit() {
            var candidates = new CountingCandidates(List.of(slotOf(A, 0, 1), slotOf(A, 1, 2), slotOf(A, 2, 3),
                    slotOf(A, 3, 4), slot(C, 5), slot(E, 6)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, 4);

            assertThat(candidates.reads).isEqualTo(4);
            assertThat(unmatched(result).scanned()).isEqualTo(4);
        }

        @Test
        void finds_a_match_within_the_scan_limit_without_reading_past_it() {
            var first = slotOf(A, 0, 1);
            var second = slot(C, 2);
            var candidates = new CountingCandidates(List.of(first, slotOf(A, 1, 1), second, slot(E, 3)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, 3);

            assertThat(matched(result)).containsExactly(first, second);
            assertThat(candidates.reads).isEqualTo(3);
        }

        @Test
        void stops_reading_once_it_has_enough_slots_of_different_orgs() {
            var candidates = new CountingCandidates(List.of(slot(A, 1), slot(C, 2), slot(E, 3), slot(D, 4), slot(B, 5)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).hasSize(2);
            assertThat(candidates.reads).isEqualTo(2);
        }

        @Test
        void counts_only_orgs_not_yet_serving_the_job_towards_stopping() {
            var candidates = new CountingCandidates(List.of(slot(A, 1), slot(C, 2), slot(E, 3), slot(D, 4)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(ORG1), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).extracting(Replica.Slot::nodeId).containsExactly(C, E);
            assertThat(candidates.reads).isEqualTo(3);
        }

        @Test
        void keeps_reading_for_another_org_while_the_orgs_found_are_too_few() {
            var candidates = new CountingCandidates(List.of(slot(A, 1), slot(B, 2), slot(C, 3), slot(D, 4)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).extracting(Replica.Slot::nodeId).containsExactly(A, C);
            assertThat(candidates.reads).isEqualTo(3);
        }

        @Test
        void reads_the_whole_market_when_it_is_smaller_than_the_limit_and_too_uniform() {
            var candidates = new CountingCandidates(List.of(slot(A, 1), slot(B, 2)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).extracting(Replica.Slot::nodeId).containsExactly(A, B);
            assertThat(candidates.reads).isEqualTo(2);
        }
    }

    @Nested
    class WhenUnmatched {

        @Test
        void reports_missing_capacity_when_there_is_no_candidate() {
            var result = unmatched(match(2));

            assertThat(result.reason()).isEqualTo(Reason.CAPACITY);
            assertThat(result.detail()).isEqualTo("no free slot within the price limit");
            assertThat(result.scanned()).isZero();
        }

        @Test
        void reports_missing_resources_with_the_last_shortfall() {
            var result = unmatched(match(2, smallSlot(A, 1), smallSlot(C, 2), slot(E, 3)));

            assertThat(result.reason()).isEqualTo(Reason.RESOURCES);
            assertThat(result.detail()).isEqualTo("found 1 eligible node(s) of 2 needed among 3 free slot(s); "
                    + "2 lacked resources (last: memoryMiB 1024 < 2048)");
            assertThat(result.scanned()).isEqualTo(3);
        }

        @Test
        void reports_the_reputation_floor_when_nodes_rate_too_low() {
            var result = unmatched(JobMatcher.match(jobWithFloor(700), 2, Set.of(), Set.of(),
                    List.of(slot(A, 1), slot(C, 2), slot(E, 3)), node -> node.equals(E) ? 900 : 100, NO_LIMIT));

            assertThat(result.reason()).isEqualTo(Reason.REPUTATION);
            assertThat(result.detail()).isEqualTo("found 1 eligible node(s) of 2 needed among 3 free slot(s); "
                    + "2 below reputation floor 700");
        }

        @Test
        void reports_missing_diversity_when_the_free_slots_are_on_too_few_nodes() {
            var result = unmatched(match(2, slotOf(A, 0, 1), slotOf(A, 1, 1), slotOf(A, 2, 1)));

            assertThat(result.reason()).isEqualTo(Reason.DIVERSITY);
            assertThat(result.detail()).isEqualTo("found 1 eligible node(s) of 2 needed among 3 free slot(s); "
                    + "replicas need distinct provider nodes");
        }

        @Test
        void reports_missing_diversity_when_only_unavailable_nodes_are_free() {
            var result = unmatched(JobMatcher.match(JOB, 1, Set.of(A, C), Set.of(), List.of(slot(A, 1), slot(C, 2)),
                    NO_REPUTATION_ASKED, NO_LIMIT));

            assertThat(result.reason()).isEqualTo(Reason.DIVERSITY);
            assertThat(result.detail()).startsWith("found 0 eligible node(s) of 1 needed among 2 free slot(s)");
        }

        @Test
        void names_the_most_common_obstacle() {
            ToIntFunction<String> reputation = node -> node.equals(A) ? 0 : 1000;

            var mostlyTooSmall = unmatched(JobMatcher.match(jobWithFloor(500), 3, Set.of(), Set.of(),
                    List.of(slot(A, 1), smallSlot(C, 2), smallSlot(E, 3)), reputation, NO_LIMIT));
            var mostlyLowRated = unmatched(JobMatcher.match(jobWithFloor(500), 3, Set.of(), Set.of(),
                    List.of(slotOf(A, 0, 1), slotOf(A, 1, 1), smallSlot(E, 3)), reputation, NO_LIMIT));

            assertThat(mostlyTooSmall.reason()).isEqualTo(Reason.RESOURCES);
            assertThat(mostlyLowRated.reason()).isEqualTo(Reason.REPUTATION);
        }

        @Test
        void reports_what_it_scanned_when_the_scan_limit_cut_the_search_short() {
            var result = unmatched(JobMatcher.match(JOB, 2, Set.of(), Set.of(),
                    List.of(slotOf(A, 0, 1), slotOf(A, 1, 1), slot(C, 5)), NO_REPUTATION_ASKED, 2));

            assertThat(result.reason()).isEqualTo(Reason.DIVERSITY);
            assertThat(result.scanned()).isEqualTo(2);
            assertThat(result.detail()).contains("among 2 free slot(s)");
        }
    }

    @Test
    void never_returns_more_slots_than_needed() {
        var all = new HashSet<Replica.Slot>();
        for (var org : ORGS) {
            all.add(slot(node(org, "x"), 10));
        }

        var result = JobMatcher.match(JOB, 3, Set.of(), Set.of(), new ArrayList<>(all), NO_REPUTATION_ASKED, NO_LIMIT);

        assertThat(matched(result)).hasSize(3);
    }
}
