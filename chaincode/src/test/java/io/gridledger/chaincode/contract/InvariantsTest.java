package io.gridledger.chaincode.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridledger.chaincode.domain.Commitments;
import io.gridledger.chaincode.testing.Identity;
import io.gridledger.chaincode.testing.TxResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.ORG3;
import static io.gridledger.chaincode.contract.Consortium.account;
import static io.gridledger.chaincode.contract.Consortium.digest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties that must hold over any sequence of transactions: credits are conserved by everything but
 * deposits and withdrawals, balances never go negative, and endorsers produce byte-identical writes.
 */
class InvariantsTest {

    /** One step of a random market session. */
    record Step(String kind, int actor, int other, long amount) {
    }

    @Provide
    Arbitrary<Step> steps() {
        var kinds = Arbitraries.of("deposit", "withdraw", "transfer", "submit", "match", "commit", "reveal", "settle",
                "release", "expire", "cancel", "offer", "pause", "withdrawOffer", "wait");
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 5),
                Arbitraries.longs().between(1, 120_000)).as(Step::new);
    }

    @Provide
    Arbitrary<List<Step>> sessions() {
        return steps().list().ofMinSize(10).ofMaxSize(40);
    }

    @Property(tries = 25)
    void credits_are_conserved_by_every_transaction_except_deposit_and_withdraw(
            @ForAll("sessions") List<Step> session) {
        var run = new Session(Consortium.started());
        for (var step : session) {
            run.apply(step);
            assertThat(run.net.totalCredits()).as("after %s", step).isEqualTo(run.deposited - run.withdrawn);
            assertThat(run.net.issuedCredits()).as("after %s", step).isEqualTo(run.deposited - run.withdrawn);
            assertThat(run.net.ledger.stateSnapshot().entrySet()).allSatisfy(e -> {
                if (e.getKey().startsWith("\u0000balance\u0000") || e.getKey().startsWith("\u0000credit\u0000")) {
                    assertThat(Long.parseLong(new String(e.getValue()))).isPositive();
                }
            });
        }
    }

    @Test
    void the_same_transactions_on_two_peers_write_byte_identical_values() {
        var first = new Session(Consortium.started());
        var second = new Session(Consortium.started());
        var script = List.of(new Step("deposit", 0, 0, 200_000), new Step("deposit", 1, 0, 5_000),
                new Step("deposit", 2, 0, 5_000), new Step("offer", 0, 0, 10), new Step("offer", 1, 0, 12),
                new Step("offer", 2, 0, 14), new Step("submit", 0, 0, 2), new Step("match", 0, 0, 1),
                new Step("wait", 0, 0, 100),
                new Step("commit", 0, 0, 1), new Step("commit", 0, 1, 1), new Step("commit", 0, 2, 5),
                new Step("reveal", 0, 0, 1), new Step("reveal", 0, 2, 5), new Step("reveal", 0, 1, 1),
                new Step("settle", 0, 0, 0), new Step("release", 0, 0, 0));
        for (var step : script) {
            var a = first.apply(step);
            var b = second.apply(step);
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).ok()).as("%s", step).isTrue();
                assertThat(a.get(i).writeSetDigest()).as("%s", step).isEqualTo(b.get(i).writeSetDigest());
                assertThat(a.get(i).validationParameterWrites().keySet()).isEqualTo(b.get(i).validationParameterWrites().keySet());
            }
        }
        assertThat(first.net.job("job-1").at("/job/status").asText()).isEqualTo("COMPLETED");
    }

    /** Drives a consortium from abstract steps, tracking what was deposited and withdrawn. */
    static final class Session {
        final Consortium net;
        final List<Identity> clients;
        final List<Identity> providers;
        final Map<String, Identity> byAccount = new HashMap<>();
        final List<String> jobs = new ArrayList<>();
        long deposited;
        long withdrawn;
        int offers;
        int txCounter;

        Session(Consortium net) {
            this.net = net;
            clients = List.of(net.client, net.clientOf(ORG1, "bob"), net.clientOf(ORG2, "carol"));
            providers = List.of(net.provider(ORG1, "node1"), net.provider(ORG2, "node2"), net.provider(ORG3, "node3"),
                    net.provider(ORG1, "node4"));
            clients.forEach(c -> byAccount.put(account(c), c));
            providers.forEach(p -> byAccount.put(account(p), p));
        }

        private Identity admin(Identity who) {
            return switch (who.mspId()) {
                case ORG1 -> net.admin1;
                case ORG2 -> net.admin2;
                default -> net.admin3;
            };
        }

        private TxResult tx(Identity who, String function, String... args) {
            return net.ledger.submitWithTxId("tx-" + (++txCounter), who, function, args);
        }

        List<TxResult> apply(Step step) {
            var results = new ArrayList<TxResult>();
            var client = clients.get(step.actor() % clients.size());
            var provider = providers.get(step.actor() % providers.size());
            switch (step.kind()) {
                case "deposit" -> {
                    for (var who : List.of(client, provider)) {
                        var r = tx(admin(who), "Deposit", account(who), Long.toString(step.amount()));
                        if (r.ok()) {
                            deposited += step.amount();
                        }
                        results.add(r);
                    }
                }
                case "withdraw" -> {
                    var r = tx(admin(client), "Withdraw", account(client), Long.toString(step.amount() / 4));
                    if (r.ok()) {
                        withdrawn += step.amount() / 4;
                    }
                    results.add(r);
                }
                case "transfer" -> results.add(tx(client, "Transfer",
                        account(clients.get(step.other() % clients.size()).equals(client) ? providers.get(0) : clients.get(step.other() % clients.size())),
                        Long.toString(step.amount() / 3)));
                case "offer" -> results.add(tx(provider, "PublishOffer",
                        Consortium.offerJson("offer-" + (++offers), 5 + step.amount() % 20, 1 + (int) (step.amount() % 3),
                                Consortium.MIN_STAKE * (1 + step.amount() % 3))));
                case "pause" -> results.add(tx(provider, "PauseOffer", "offer-" + (1 + step.other() % Math.max(1, offers))));
                case "withdrawOffer" -> results.add(tx(provider, "WithdrawOffer", "offer-" + (1 + step.other() % Math.max(1, offers))));
                case "submit" -> {
                    var id = "job-" + (jobs.size() + 1);
                    int replicas = 1 + (int) (step.amount() % 3);
                    var r = tx(client, "SubmitJob", Consortium.jobJson(id, replicas, replicas == 3 ? 2 : replicas, 25, 600,
                            net.ledger.now().getEpochSecond() + 2_000));
                    if (r.ok()) {
                        jobs.add(id);
                    }
                    results.add(r);
                }
                case "match" -> {
                    if (!jobs.isEmpty()) {
                        results.add(tx(net.admin1, "MatchJobs", Consortium.json(jobs.subList(Math.max(0, jobs.size() - 5), jobs.size())),
                                "[]"));
                    }
                }
                case "settle" -> {
                    if (!jobs.isEmpty()) {
                        results.add(tx(net.admin3, "SettleJob", jobs.get(step.other() % jobs.size())));
                    }
                }
                case "release" -> {
                    if (!jobs.isEmpty()) {
                        results.add(tx(net.admin2, "ReleaseSlots", Consortium.json(jobs)));
                    }
                }
                case "commit", "reveal" -> forReplica(step, (job, replica, round, node) -> {
                    var digest = digest(step.amount() % 5 == 0 ? 'e' : 'c');
                    var result = round == 0 ? Commitments.fingerprint(job, digest) : digest;
                    results.add(step.kind().equals("commit")
                            ? tx(node, "CommitResult", job, Integer.toString(replica), Consortium.commitmentOf(node, job, replica, digest))
                            : tx(node, "RevealResult", job, Integer.toString(replica), result, Consortium.saltFor(node),
                            Long.toString(step.amount() % 700)));
                });
                case "expire" -> {
                    if (!jobs.isEmpty()) {
                        results.add(tx(net.admin2, "ExpireJob", jobs.get(step.other() % jobs.size())));
                    }
                }
                case "cancel" -> {
                    if (!jobs.isEmpty()) {
                        var job = jobs.get(step.other() % jobs.size());
                        var owner = byAccount.get(net.job(job).at("/job/clientId").asText());
                        results.add(tx(owner, "CancelJob", job));
                    }
                }
                case "wait" -> net.advance(Duration.ofSeconds(step.amount() % 900));
                default -> throw new IllegalArgumentException(step.kind());
            }
            return results;
        }

        interface ReplicaAction {
            void apply(String jobId, int replica, int round, Identity node);
        }

        private void forReplica(Step step, ReplicaAction action) {
            if (jobs.isEmpty()) {
                return;
            }
            var jobId = jobs.get(step.actor() % jobs.size());
            JsonNode replicas = net.job(jobId).get("replicas");
            if (replicas == null || replicas.isEmpty()) {
                return;
            }
            var replica = replicas.get(step.other() % replicas.size()).get("assignment");
            action.apply(jobId, replica.get("index").asInt(), replica.get("round").asInt(),
                    byAccount.get(replica.get("nodeId").asText()));
        }
    }
}
