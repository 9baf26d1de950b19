package io.gridledger.ledger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContractErrorCodeTest {

    @Test
    void finds_the_chaincode_code_after_the_peers_chaincode_response_prefix() {
        var refusal = ContractErrorCode.parse("chaincode response 500, NOT_FOUND: job 'j1' does not exist");
        assertThat(refusal).hasValue(new ContractErrorCode.Refusal(ContractErrorCode.NOT_FOUND, "job 'j1' does not exist"));
    }

    @Test
    void finds_it_inside_an_evaluate_error_message() {
        var refusal = ContractErrorCode.parse(
                "evaluate call to endorser returned error: chaincode response 500, WRONG_STATE: job j is COMPLETED; nothing to settle");
        assertThat(refusal).map(ContractErrorCode.Refusal::code).hasValue(ContractErrorCode.WRONG_STATE);
    }

    @Test
    void takes_a_code_that_leads_the_message() {
        assertThat(ContractErrorCode.parse("FORBIDDEN: only admins")).map(ContractErrorCode.Refusal::code)
                .hasValue(ContractErrorCode.FORBIDDEN);
    }

    @Test
    void does_not_take_a_grpc_status_or_other_text_for_a_refusal() {
        assertThat(ContractErrorCode.parse("ABORTED: failed to endorse transaction, see attached details for more info")).isEmpty();
        assertThat(ContractErrorCode.parse("ProposalResponsePayloads do not match")).isEmpty();
        assertThat(ContractErrorCode.parse(null)).isEmpty();
    }
}
