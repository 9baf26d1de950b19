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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.ToIntFunction;

import static io.gridledger.chaincode.domain.Fixtures.ORG1;
import static io.gridledger.chaincode.domain.Fixtures.ORG2;
import static io.gridledger.chaincode.domain.Fixtures.ORG3;
import static io.gridledger.chaincode.domain.Fixtures.ORGS;
import static io.gridledger.chaincode.domain.Fixtures.candidate;
import static io.gridledger.chaincode.domain.Fixtures.job;
import static io.gridledger.chaincode.domain.Fixtures.jobSpecBuilder;
import static io.gridledger.chaincode.domain.Fixtures.node;
import static io.gridledger.chaincode.domain.Fixtures.resourcesBuilder;
import static org.assertj.core.api.Assertions.assertThat;

class JobMatcherTest {

    private static final int NO_LIMIT = 200;
    private static final ToIntFunction<Replica.Candidate> NO_REPUTATION_ASKED = offer -> {
        throw new AssertionError("reputation of " + offer.nodeId() + " asked for a job without a floor");
    };

    private static final String A = node(ORG1, "a");
    private static final String B = node(ORG1, "b");
    private static final String C = node(ORG2, "c");
    private static final String D = node(ORG2, "d");
    private static final String E = node(ORG3, "e");

    /** A replicated CPU job without a reputation floor, replicas on distinct orgs. */
    private static final Job JOB = job(jobSpecBuilder("job-m").replicated(3, 2).build());
    /** The same job whose client allowed replicas on one org. */
    private static final Job SAME_ORG_JOB = job(jobSpecBuilder("job-s")
            .verification(Verification.replicated(3, 2).allowingSameOrg()).build());

    private static Job jobWithFloor(int minReputation) {
        return job(jobSpecBuilder("job-m").replicated(3, 2).minReputation(minReputation).build());
    }

    private static JobMatcher.Result match(Job job, int needed, Replica.Candidate... candidates) {
        return JobMatcher.match(job, needed, Set.of(), Set.of(), List.of(candidates), NO_REPUTATION_ASKED, NO_LIMIT);
    }

    private static JobMatcher.Result match(int needed, Replica.Candidate... candidates) {
        return match(JOB, needed, candidates);
    }

    private static List<Replica.Candidate> matched(JobMatcher.Result result) {
        assertThat(result).isInstanceOf(Matched.class);
        return ((Matched) result).offers();
    }

    private static Unmatched unmatched(JobMatcher.Result result) {
        assertThat(result).isInstanceOf(Unmatched.class);
        return (Unmatched) result;
    }

    private static Replica.Candidate offer(String nodeId, long price) {
        return candidate(nodeId, price);
    }

    /** A second offer of the same node. */
    private static Replica.Candidate secondOffer(String nodeId, long price) {
        var first = candidate(nodeId, price);
        return new Replica.Candidate(first.offerId() + "-2", nodeId, first.org(), price, 4, 2_000, first.resources());
    }

    /** An offer too small for {@link #JOB}: 1 GiB of memory where the job needs 2. */
    private static Replica.Candidate smallOffer(String nodeId, long price) {
        return candidate(nodeId, price, resourcesBuilder().cpuMillis(8_000).memoryMiB(1_024).storageMiB(100_000).build());
    }

    /** Candidates read the way the ledger serves them: lazily, one state read per candidate. Counts the reads. */
    static final class CountingCandidates implements Iterable<Replica.Candidate> {
        private final List<Replica.Candidate> offers;
        int reads;

        CountingCandidates(List<Replica.Candidate> offers) {
            this.offers = offers;
        }

        @Override
        public Iterator<Replica.Candidate> iterator() {
            return new Iterator<>() {
                private int position;
                private Replica.Candidate fetched;

                @Override
                public boolean hasNext() {
                    if (fetched == null && position < offers.size()) {
                        fetched = offers.get(position++);
                        reads++;
                    }
                    return fetched != null;
                }

                @Override
                public Replica.Candidate next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    var offer = fetched;
                    fetched = null;
                    return offer;
                }
            };
        }
    }

    // ---- properties -------------------------------------------------------------------------------------

    record Market(List<Replica.Candidate> candidates, Set<String> unavailable, int needed, int scanLimit,
                  boolean sameOrgAllowed) {
    }

    @Property(tries = 500)
    void places_replicas_on_distinct_nodes_of_distinct_orgs_unless_allowed_and_none_other_was_scanned(
            @ForAll("markets") Market market) {
        var candidates = new CountingCandidates(market.candidates());
        var job = market.sameOrgAllowed() ? SAME_ORG_JOB : JOB;

        var result = JobMatcher.match(job, market.needed(), market.unavailable(), Set.of(), candidates,
                NO_REPUTATION_ASKED, market.scanLimit());

        assertThat(candidates.reads).isLessThanOrEqualTo(market.scanLimit());
        var window = market.candidates().subList(0, Math.min(market.scanLimit(), market.candidates().size()));
        var eligible = window.stream().filter(s -> !market.unavailable().contains(s.nodeId())).toList();
        long eligibleNodes = eligible.stream().map(Replica.Candidate::nodeId).distinct().count();
        long eligibleOrgs = eligible.stream().map(Replica.Candidate::org).distinct().count();
        if (result instanceof Matched matched) {
            var offers = matched.offers();
            assertThat(offers).hasSize(market.needed()).allMatch(window::contains);
            assertThat(offers).extracting(Replica.Candidate::nodeId).doesNotHaveDuplicates()
                    .noneMatch(market.unavailable()::contains);
            long orgs = offers.stream().map(Replica.Candidate::org).distinct().count();
            assertThat(orgs).isEqualTo(Math.min(market.needed(), eligibleOrgs));
            assertThat(matched.sharedOrg()).isEqualTo(orgs < market.needed());
            if (!market.sameOrgAllowed()) {
                assertThat(orgs).isEqualTo(market.needed());
            }
        } else if (market.sameOrgAllowed()) {
            assertThat(eligibleNodes).isLessThan(market.needed());
        } else {
            assertThat(eligibleOrgs).isLessThan(market.needed());
        }
    }

    @Provide
    Arbitrary<Market> markets() {
        var nodes = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            nodes.add(node(ORGS.get(i % 4), "n" + i));
        }
        var offerArbitrary = Combinators.combine(Arbitraries.of(nodes), Arbitraries.integers().between(0, 3))
                .as((nodeId, n) -> n == 0 ? offer(nodeId, 10) : secondOffer(nodeId + n, 10));
        return Combinators.combine(
                offerArbitrary.list().ofMaxSize(30),
                Arbitraries.of(nodes).set().ofMaxSize(4),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 40),
                Arbitraries.of(true, false)
        ).as((offers, unavailable, needed, limit, sameOrg) -> {
            // the market index lists each offer once
            var unique = new LinkedHashMap<String, Replica.Candidate>();
            offers.forEach(o -> unique.putIfAbsent(o.offerId(), o));
            return new Market(new ArrayList<>(unique.values()), unavailable, needed, limit, sameOrg);
        });
    }

    // ---- examples ---------------------------------------------------------------------------------------

    @Nested
    class Price {

        @Test
        void takes_the_cheapest_candidate_first() {
            var cheap = offer(A, 10);

            assertThat(matched(match(1, cheap, offer(C, 20), offer(E, 30)))).containsExactly(cheap);
        }

        @Test
        void takes_the_cheapest_candidates_of_different_orgs() {
            var cheap = offer(A, 10);
            var middle = offer(C, 20);

            assertThat(matched(match(2, cheap, middle, offer(E, 30)))).containsExactly(cheap, middle);
        }

        @Test
        void breaks_ties_by_candidate_order() {
            var first = offer(C, 10);
            var second = offer(A, 10);

            assertThat(matched(match(1, first, second))).containsExactly(first);
            assertThat(matched(match(1, second, first))).containsExactly(second);
        }
    }

    @Nested
    class Diversity {

        @Test
        void never_places_two_replicas_on_one_node_even_through_two_of_its_offers() {
            var first = offer(A, 10);
            var sameNode = secondOffer(A, 10);
            var other = offer(C, 50);

            assertThat(matched(match(SAME_ORG_JOB, 2, first, sameNode, other))).containsExactly(first, other);
        }

        @Test
        void prefers_a_dearer_offer_of_another_org_to_a_cheaper_one_of_the_same_org() {
            var cheapest = offer(A, 10);
            var otherOrg = offer(C, 30);

            assertThat(matched(match(2, cheapest, offer(B, 11), otherOrg))).containsExactly(cheapest, otherOrg);
        }

        @Test
        void never_places_two_replicas_on_one_org_unless_the_client_allowed_it() {
            var result = unmatched(match(2, offer(A, 10), offer(B, 11)));

            assertThat(result.reason()).isEqualTo(Reason.DIVERSITY);
            assertThat(result.detail()).contains("does not allow sameOrgReplicas");
        }

        @Test
        void with_the_clients_leave_falls_back_to_other_nodes_of_one_org_and_says_so() {
            var first = offer(A, 10);
            var second = offer(B, 11);

            var result = (Matched) match(SAME_ORG_JOB, 2, first, second);

            assertThat(result.offers()).containsExactly(first, second);
            assertThat(result.sharedOrg()).isTrue();
        }

        @Test
        void with_the_clients_leave_still_uses_every_org_it_found_before_sharing_one() {
            var a = offer(A, 10);
            var b = offer(B, 11);
            var c = offer(C, 12);

            var result = (Matched) match(SAME_ORG_JOB, 3, a, b, c, offer(D, 13));

            assertThat(result.offers()).containsExactly(a, c, b);
            assertThat(result.sharedOrg()).isTrue();
        }

        @Test
        void a_job_on_distinct_orgs_is_not_marked_as_sharing_one() {
            assertThat(((Matched) match(SAME_ORG_JOB, 2, offer(A, 10), offer(C, 11))).sharedOrg()).isFalse();
        }

        @Test
        void avoids_orgs_already_serving_the_job() {
            var sameOrgAsRunning = offer(A, 10);
            var otherOrg = offer(C, 40);

            var result = JobMatcher.match(JOB, 1, Set.of(), Set.of(ORG1), List.of(sameOrgAsRunning, otherOrg),
                    NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).containsExactly(otherOrg);
        }

        @Test
        void does_not_fall_back_to_an_org_already_serving_the_job_unless_allowed() {
            var sameOrgAsRunning = offer(B, 10);

            var strict = JobMatcher.match(JOB, 1, Set.of(A), Set.of(ORG1), List.of(sameOrgAsRunning), NO_REPUTATION_ASKED,
                    NO_LIMIT);
            var allowed = JobMatcher.match(SAME_ORG_JOB, 1, Set.of(A), Set.of(ORG1), List.of(sameOrgAsRunning),
                    NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(unmatched(strict).reason()).isEqualTo(Reason.DIVERSITY);
            assertThat(matched(allowed)).containsExactly(sameOrgAsRunning);
            assertThat(((Matched) allowed).sharedOrg()).isTrue();
        }
    }

    @Nested
    class Eligibility {

        @Test
        void skips_unavailable_nodes() {
            var excluded = offer(A, 10);
            var available = offer(C, 20);

            var result = JobMatcher.match(JOB, 1, Set.of(A), Set.of(), List.of(excluded, available), NO_REPUTATION_ASKED,
                    NO_LIMIT);

            assertThat(matched(result)).containsExactly(available);
        }

        @Test
        void skips_offers_lacking_resources() {
            var fits = offer(C, 20);

            assertThat(matched(match(1, smallOffer(A, 10), fits))).containsExactly(fits);
        }

        @Test
        void skips_nodes_below_the_reputation_floor() {
            var reputations = Map.of(A, 499, C, 500);
            var rated = offer(C, 20);

            var result = JobMatcher.match(jobWithFloor(500), 1, Set.of(), Set.of(), List.of(offer(A, 10), rated),
                    o -> reputations.get(o.nodeId()), NO_LIMIT);

            assertThat(matched(result)).containsExactly(rated);
        }

        @Test
        void asks_a_node_reputation_once_however_many_offers_it_has() {
            var asked = new HashMap<String, Integer>();
            ToIntFunction<Replica.Candidate> reputation = o -> {
                asked.merge(o.nodeId(), 1, Integer::sum);
                return 100;
            };

            JobMatcher.match(jobWithFloor(500), 2, Set.of(), Set.of(),
                    List.of(offer(A, 10), secondOffer(A, 10), offer(C, 20)), reputation, NO_LIMIT);

            assertThat(asked).containsExactlyInAnyOrderEntriesOf(Map.of(A, 1, C, 1));
        }
    }

    @Nested
    class Cost {

        @Test
        void stops_reading_candidates_at_the_scan_limit() {
            var candidates = new CountingCandidates(List.of(offer(A, 1), offer(B, 2), secondOffer(A, 3),
                    secondOffer(B, 4), offer(C, 5), offer(E, 6)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, 4);

            assertThat(candidates.reads).isEqualTo(4);
            assertThat(unmatched(result).scanned()).isEqualTo(4);
        }

        @Test
        void an_offer_with_many_free_slots_costs_one_step_of_the_scan_budget() {
            // One cheap offer of Org1 with 1,000 free slots, then offers of two other orgs: with a budget of 3 offers,
            // a job needing 3 orgs is matched; slots do not count against the budget, offers do.
            var huge = new Replica.Candidate("offer-huge", A, ORG1, 1, 1_000, 1_000, Fixtures.cpuSlot());
            var candidates = new CountingCandidates(List.of(huge, offer(C, 2), offer(E, 3)));

            var result = JobMatcher.match(JOB, 3, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, 3);

            assertThat(matched(result)).extracting(Replica.Candidate::org).containsExactly(ORG1, ORG2, ORG3);
            assertThat(candidates.reads).isEqualTo(3);
        }

        @Test
        void stops_reading_once_it_has_enough_offers_of_different_orgs() {
            var candidates = new CountingCandidates(List.of(offer(A, 1), offer(C, 2), offer(E, 3), offer(D, 4), offer(B, 5)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).hasSize(2);
            assertThat(candidates.reads).isEqualTo(2);
        }

        @Test
        void counts_only_orgs_not_yet_serving_the_job_towards_stopping() {
            var candidates = new CountingCandidates(List.of(offer(A, 1), offer(C, 2), offer(E, 3), offer(D, 4)));

            var result = JobMatcher.match(JOB, 2, Set.of(), Set.of(ORG1), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).extracting(Replica.Candidate::nodeId).containsExactly(C, E);
            assertThat(candidates.reads).isEqualTo(3);
        }

        @Test
        void with_the_clients_leave_reads_the_whole_scan_before_sharing_an_org() {
            var candidates = new CountingCandidates(List.of(offer(A, 1), offer(B, 2), offer(D, 3)));

            var result = JobMatcher.match(SAME_ORG_JOB, 3, Set.of(), Set.of(), candidates, NO_REPUTATION_ASKED, NO_LIMIT);

            assertThat(matched(result)).extracting(Replica.Candidate::nodeId).containsExactly(A, D, B);
            assertThat(candidates.reads).isEqualTo(3);
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
            var result = unmatched(match(2, smallOffer(A, 1), smallOffer(C, 2), offer(E, 3)));

            assertThat(result.reason()).isEqualTo(Reason.RESOURCES);
            assertThat(result.detail()).isEqualTo("found 1 eligible org(s) of 2 needed among 3 offer(s) with a free slot; "
                    + "2 lacked resources (last: memoryMiB 1024 < 2048)");
        }

        @Test
        void reports_the_reputation_floor_when_nodes_rate_too_low() {
            var result = unmatched(JobMatcher.match(jobWithFloor(700), 2, Set.of(), Set.of(),
                    List.of(offer(A, 1), offer(C, 2), offer(E, 3)), o -> o.nodeId().equals(E) ? 900 : 100, NO_LIMIT));

            assertThat(result.reason()).isEqualTo(Reason.REPUTATION);
            assertThat(result.detail()).isEqualTo("found 1 eligible org(s) of 2 needed among 3 offer(s) with a free slot; "
                    + "2 below reputation floor 700");
        }

        @Test
        void reports_missing_diversity_when_only_unavailable_nodes_are_free() {
            var result = unmatched(JobMatcher.match(JOB, 1, Set.of(A, C), Set.of(), List.of(offer(A, 1), offer(C, 2)),
                    NO_REPUTATION_ASKED, NO_LIMIT));

            assertThat(result.reason()).isEqualTo(Reason.DIVERSITY);
            assertThat(result.detail()).startsWith("found 0 eligible org(s) of 1 needed among 2 offer(s)");
        }
    }
}
