package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Json;
import io.gridledger.chaincode.ledger.Keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Consortium parameters and how they change.
 *
 * <p><b>Bootstrap.</b> No single org defines the consortium. Each member org's admin calls {@code InitLedger} with
 * the agreed genesis parameters; the calls are counted per exact set of parameters, and the parameters take effect
 * with the call that brings a majority of the orgs they list. That last transaction is endorsed only by peers of
 * orgs that approved: each org runs its own chaincode, which knows its peer's org and refuses to endorse applying a
 * bootstrap its org did not approve. As the chaincode's endorsement policy is a majority of the channel's orgs, the
 * consortium starts only with the agreement of a majority of the channel's orgs, and one admin cannot list itself
 * alone and shut the others out.
 *
 * <p><b>Changes.</b> A proposal names the parameter version it amends and when it expires; it applies when admins of
 * a majority of the current members approved it, before it expires and while the parameters are still at that
 * version. A stale or expired proposal can never apply over a later decision.
 */
public final class GovernanceService {

    /** Longest a proposal stays open. */
    public static final long MAX_PROPOSAL_LIFETIME_SECONDS = 30L * 86_400;

    /** Genesis parameters proposed for the bootstrap, and the orgs whose admins approved them. */
    public record Bootstrap(String paramsHash, Params params, List<String> approvals, boolean applied) {
    }

    /** A proposed parameter change and the orgs that approved it so far. */
    public record Proposal(String proposalId, Params params, long amendsVersion, long expiresAt, String proposedBy,
                           long proposedAt, Status status, List<String> approvals) {
        public enum Status { OPEN, APPLIED }
    }

    public Bootstrap initLedger(Context ctx, Params params) {
        if (ctx.findParams().isPresent()) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "the ledger is already initialised; change parameters through ProposeParameters");
        }
        Rejection.require(params.version() == 0, "params.version is assigned by the ledger; leave it out");
        var caller = ctx.caller();
        if (caller.role() != Role.ADMIN || !params.isMember(caller.mspId())) {
            throw Rejection.forbidden("InitLedger must be called by an admin of one of the member orgs " + params.members());
        }
        var hash = hash(params);
        var bootstrap = ctx.state().get(Keys.bootstrap(hash), Bootstrap.class)
                .orElse(new Bootstrap(hash, params, List.of(), false));
        if (bootstrap.approvals().contains(caller.mspId())) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, caller.mspId() + " already approved these genesis parameters ("
                    + bootstrap.approvals().size() + " of " + params.majority() + " approvals needed)");
        }
        var approvals = sorted(bootstrap.approvals(), caller.mspId());
        boolean applies = approvals.size() >= params.majority();
        if (applies) {
            var peer = ctx.state().peerMspId().orElseThrow(() -> Rejection.forbidden(
                    "this chaincode server does not know which org's peer it serves (CORE_PEER_LOCALMSPID is unset), so it "
                            + "cannot vouch for its org's approval of the bootstrap; each org runs its own chaincode server"));
            if (!approvals.contains(peer)) {
                throw Rejection.forbidden("the peer of " + peer + " does not endorse starting the consortium: " + peer
                        + " has not approved these genesis parameters (approved by " + approvals + ")");
            }
            ctx.state().put(Keys.params(), params.withVersion(1));
        }
        var updated = new Bootstrap(hash, params, approvals, applies);
        ctx.state().put(Keys.bootstrap(hash), updated);
        var type = applies ? "ParametersChanged" : "BootstrapApproved";
        ctx.state().emit(type, ContractEvent.of(type));
        return updated;
    }

    public Bootstrap findBootstrap(Context ctx, Params params) {
        var hash = hash(params);
        return ctx.state().get(Keys.bootstrap(hash), Bootstrap.class)
                .orElseThrow(() -> Rejection.notFound("bootstrap of these parameters", hash));
    }

    public Proposal propose(Context ctx, String proposalId, long amendsVersion, long expiresAt, Params proposed) {
        Ids.requireAssetId("proposalId", proposalId);
        var current = ctx.params();
        var caller = ctx.caller().require(current, Role.ADMIN, "ProposeParameters");
        Rejection.require(proposed.version() == 0, "params.version is assigned by the ledger; leave it out");
        if (ctx.state().exists(Keys.proposal(proposalId))) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "proposal " + proposalId + " already exists");
        }
        requireCurrent(current, amendsVersion, "propose a change to");
        long now = ctx.now();
        Rejection.requireRange("expiresAt", expiresAt, now + 1, now + MAX_PROPOSAL_LIFETIME_SECONDS);
        var proposal = new Proposal(proposalId, proposed, amendsVersion, expiresAt, caller.mspId(), now,
                Proposal.Status.OPEN, List.of());
        return approveAndMaybeApply(ctx, proposal, caller.mspId(), "ParametersProposed");
    }

    public Proposal approve(Context ctx, String proposalId) {
        var current = ctx.params();
        var caller = ctx.caller().require(current, Role.ADMIN, "ApproveProposal");
        var proposal = find(ctx, proposalId);
        if (proposal.status() != Proposal.Status.OPEN) {
            throw Rejection.wrongState("proposal " + proposalId + " is already " + proposal.status());
        }
        if (ctx.now() > proposal.expiresAt()) {
            throw new Rejection(ErrorCode.DEADLINE_PASSED, "proposal " + proposalId + " expired at " + proposal.expiresAt());
        }
        requireCurrent(current, proposal.amendsVersion(), "apply proposal " + proposalId + ", which amends");
        if (proposal.approvals().contains(caller.mspId())) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, caller.mspId() + " already approved proposal " + proposalId);
        }
        return approveAndMaybeApply(ctx, proposal, caller.mspId(), "ProposalApproved");
    }

    public Proposal find(Context ctx, String proposalId) {
        Ids.requireAssetId("proposalId", proposalId);
        return ctx.state().get(Keys.proposal(proposalId), Proposal.class)
                .orElseThrow(() -> Rejection.notFound("proposal", proposalId));
    }

    /** The hash that names a set of genesis parameters: SHA-256 of their canonical JSON. */
    public static String hash(Params params) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.toBytes(params)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireCurrent(Params current, long amendsVersion, String action) {
        if (amendsVersion != current.version()) {
            throw Rejection.wrongState("cannot " + action + " parameter version " + amendsVersion
                    + ": the parameters are at version " + current.version() + "; propose again against it");
        }
    }

    private Proposal approveAndMaybeApply(Context ctx, Proposal proposal, String org, String eventType) {
        var approvals = sorted(proposal.approvals(), org);
        var current = ctx.params();
        long votes = approvals.stream().filter(current::isMember).count();
        var status = votes >= current.majority() ? Proposal.Status.APPLIED : Proposal.Status.OPEN;
        var updated = new Proposal(proposal.proposalId(), proposal.params(), proposal.amendsVersion(),
                proposal.expiresAt(), proposal.proposedBy(), proposal.proposedAt(), status, approvals);
        ctx.state().put(Keys.proposal(proposal.proposalId()), updated);
        if (status == Proposal.Status.APPLIED) {
            ctx.state().put(Keys.params(), proposal.params().withVersion(current.version() + 1));
            ctx.state().emit("ParametersChanged", ContractEvent.of("ParametersChanged").withProposal(proposal.proposalId()));
        } else {
            ctx.state().emit(eventType, ContractEvent.of(eventType).withProposal(proposal.proposalId()));
        }
        return updated;
    }

    private static List<String> sorted(List<String> approvals, String org) {
        var all = new ArrayList<>(approvals);
        all.add(org);
        all.sort(null);
        return List.copyOf(all);
    }
}
