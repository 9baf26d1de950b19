package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Keys;

import java.util.ArrayList;
import java.util.List;

/**
 * Consortium parameters and how they change: an org admin bootstraps them once, after which every change
 * is a proposal that takes effect when admins of a majority of member orgs have approved it.
 */
public final class GovernanceService {

    /** A proposed parameter change and the orgs that approved it so far. */
    public record Proposal(String proposalId, Params params, String proposedBy, long proposedAt, Status status,
                           List<String> approvals) {
        public enum Status { OPEN, APPLIED }
    }

    public Params initLedger(Context ctx, Params params) {
        if (ctx.findParams().isPresent()) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "the ledger is already initialised; change parameters through ProposeParameters");
        }
        var caller = ctx.caller();
        if (caller.role() != Role.ADMIN || !params.isMember(caller.mspId())) {
            throw Rejection.forbidden("InitLedger must be called by an admin of one of the member orgs " + params.members());
        }
        ctx.state().put(Keys.params(), params);
        ctx.state().emit("ParametersChanged", ContractEvent.of("ParametersChanged"));
        return params;
    }

    public Proposal propose(Context ctx, String proposalId, Params proposed) {
        Ids.requireAssetId("proposalId", proposalId);
        var caller = ctx.caller().require(ctx.params(), Role.ADMIN, "ProposeParameters");
        if (ctx.state().exists(Keys.proposal(proposalId))) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "proposal " + proposalId + " already exists");
        }
        var proposal = new Proposal(proposalId, proposed, caller.mspId(), ctx.now(), Proposal.Status.OPEN, List.of());
        return approveAndMaybeApply(ctx, proposal, caller.mspId(), "ParametersProposed");
    }

    public Proposal approve(Context ctx, String proposalId) {
        var caller = ctx.caller().require(ctx.params(), Role.ADMIN, "ApproveProposal");
        var proposal = find(ctx, proposalId);
        if (proposal.status() != Proposal.Status.OPEN) {
            throw Rejection.wrongState("proposal " + proposalId + " is already " + proposal.status());
        }
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

    private Proposal approveAndMaybeApply(Context ctx, Proposal proposal, String org, String eventType) {
        var approvals = new ArrayList<>(proposal.approvals());
        approvals.add(org);
        approvals.sort(null);
        var current = ctx.params();
        long votes = approvals.stream().filter(current::isMember).count();
        var status = votes >= current.majority() ? Proposal.Status.APPLIED : Proposal.Status.OPEN;
        var updated = new Proposal(proposal.proposalId(), proposal.params(), proposal.proposedBy(), proposal.proposedAt(),
                status, List.copyOf(approvals));
        ctx.state().put(Keys.proposal(proposal.proposalId()), updated);
        if (status == Proposal.Status.APPLIED) {
            ctx.state().put(Keys.params(), proposal.params());
            ctx.state().emit("ParametersChanged", ContractEvent.of("ParametersChanged"));
        } else {
            ctx.state().emit(eventType, ContractEvent.of(eventType));
        }
        return updated;
    }
}
