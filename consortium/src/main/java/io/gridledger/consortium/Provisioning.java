package io.gridledger.consortium;

import io.gridledger.cli.ApiFailure;
import io.gridledger.cli.GatewayClient;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Parameters;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The one-time set-up of a new local consortium, each step recorded in its state so that a restart (or a retry after a
 * failed start) does only what is left:
 * <ol>
 *   <li><b>genesis</b>: the admins of a majority of the orgs approve the consortium's parameters through the contract's
 *   {@code InitLedger}, each with its org's identity and peer, as each member would (the completing approval endorsed by
 *   the approving orgs only);</li>
 *   <li><b>accounts</b>, through each org's gateway admin API: a demo partner token bound to the org's User1, credits
 *   for User1 (the partner's escrow), and the stake of the org's provider node.</li>
 * </ol>
 */
final class Provisioning {

    /** Credits of each org's demo partner. */
    static final long PARTNER_CREDITS = 10_000_000;
    static final long MIN_STAKE_PER_SLOT = 1_000;
    /** Partner tokens of the local consortium last a year; the org admin revokes them through the API. */
    private static final long TOKEN_SECONDS = 365L * 86_400;

    private Provisioning() {
    }

    /**
     * The consortium's parameters: short commit and reveal windows, so that a crashed node's replica is reassigned
     * within seconds on this machine, and a 2.5 % fee.
     */
    static Parameters parameters(StackSettings settings) {
        return new Parameters(settings.mspIds(), null, 250, MIN_STAKE_PER_SLOT, 1_000, 2, 2, 10, 20, 200, 2, 1_000, 100,
                new Parameters.ResourceUnits(1_000, 244, 10_000_000, 1));
    }

    /** What each provider node deposits and stakes: ten times the minimum for its slots, so slashing leaves it working. */
    static long nodeStake(StackSettings settings) {
        return MIN_STAKE_PER_SLOT * settings.agentCapacity() * 10;
    }

    static void genesis(LocalStack stack) {
        var state = stack.state();
        if (state.isDone("genesis")) {
            return;
        }
        var settings = stack.settings();
        var params = parameters(settings);
        var approving = settings.mspIds().subList(0, settings.orgs() / 2 + 1);
        for (var org : approving) {
            try (var ledger = stack.ledger(org)) {
                List<String> approvals = List.of();
                try {
                    var bootstrap = ledger.getBootstrap("Admin", params);
                    if (bootstrap.applied()) {
                        break;
                    }
                    approvals = bootstrap.approvals();
                } catch (ContractRefusal e) {
                    if (e.code() != ContractErrorCode.NOT_FOUND) {
                        throw e;
                    }
                }
                if (!approvals.contains(org)) {
                    ledger.initLedger("Admin", params, new LinkedHashSet<>(approving));
                }
            }
        }
        state.markDone("genesis");
        state.save(settings.stateFile());
        stack.progress().step("genesis parameters approved by " + approving + " (fee 2.5 %, commit grace 10 s, reveal window 20 s)");
    }

    /** Tokens and deposits, through each org's gateway admin API with an idempotency key per step. */
    static void accounts(LocalStack stack) {
        var state = stack.state();
        var settings = stack.settings();
        for (var org : settings.mspIds()) {
            var admin = new GatewayClient(URI.create(settings.gatewayUrl(org)), state.adminToken(org));
            if (!state.partnerTokens.containsKey(org)) {
                var answer = admin.post("/admin/tokens", Map.of("partnerId", "demo-" + StackSettings.shortName(org),
                        "identity", "User1", "scopes", List.of("jobs:read", "jobs:write", "accounts:read", "offers:read"),
                        "expiresInSeconds", TOKEN_SECONDS), "consortium-partner-token-" + org);
                state.partnerTokens.put(org, answer.get("token").asText());
                state.save(settings.stateFile());
            }
            deposit(stack, admin, org, "User1", PARTNER_CREDITS);
            if (settings.agentMspIds().contains(org)) {
                deposit(stack, admin, org, "node1", nodeStake(settings));
            }
        }
        stack.progress().step("accounts ready: a demo partner per org with " + PARTNER_CREDITS + " credits, each provider node staked");
    }

    private static void deposit(LocalStack stack, GatewayClient admin, String org, String user, long amount) {
        var step = "deposit:" + org + ":" + user;
        if (stack.state().isDone(step)) {
            return;
        }
        try {
            admin.post("/admin/deposits", Map.of("accountId", account(org, user), "amount", amount), "consortium-" + step);
        } catch (ApiFailure e) {
            throw new StackException("the deposit for " + account(org, user) + " was refused: " + e.getMessage(), e);
        }
        stack.state().markDone(step);
        stack.state().save(stack.settings().stateFile());
    }

    /** The account of one of an org's users: {@code Org2MSP/node1@org2.gridledger.example}. */
    static String account(String org, String user) {
        return org + "/" + user + "@" + StackSettings.shortName(org) + ".gridledger.example";
    }
}
