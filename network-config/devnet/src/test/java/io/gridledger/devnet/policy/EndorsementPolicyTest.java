package io.gridledger.devnet.policy;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.msp.Identity;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndorsementPolicyTest {

    private static final ChannelPolicies CHANNEL = ChannelPolicyFixtures.orgs(3);
    private static final Identity ORG1 = TestIdentity.peer("Org1MSP");
    private static final Identity ORG2 = TestIdentity.peer("Org2MSP");

    @Nested
    class FromAnApplicationPolicy {

        @Test
        void holding_a_signature_policy() {
            var bytes = ApplicationPolicy.newBuilder()
                    .setSignaturePolicy(SignaturePolicies.parse("AND('Org1MSP.peer', 'Org2MSP.peer')"))
                    .build().toByteString();
            var policy = EndorsementPolicy.fromApplicationPolicy(bytes, CHANNEL);

            assertThat(policy).isInstanceOf(EndorsementPolicy.Signature.class);
            assertThat(policy.isSatisfiedBy(List.of(ORG1, ORG2))).isTrue();
            assertThat(policy.isSatisfiedBy(List.of(ORG1))).isFalse();
            assertThat(policy.toApplicationPolicy().toByteString()).isEqualTo(bytes);
        }

        @Test
        void holding_a_channel_config_policy_reference() {
            var bytes = ApplicationPolicy.newBuilder()
                    .setChannelConfigPolicyReference(ChannelPolicies.APPLICATION_ENDORSEMENT)
                    .build().toByteString();
            var policy = EndorsementPolicy.fromApplicationPolicy(bytes, CHANNEL);

            assertThat(policy).isEqualTo(EndorsementPolicy.channelReference("/Channel/Application/Endorsement", CHANNEL));
            assertThat(policy.isSatisfiedBy(List.of(ORG1, ORG2))).isTrue();
            assertThat(policy.isSatisfiedBy(List.of(ORG2))).isFalse();
            assertThat(policy.toApplicationPolicy().toByteString()).isEqualTo(bytes);
            assertThat(policy).hasToString("/Channel/Application/Endorsement (MAJORITY Endorsement)");
        }

        @Test
        void referencing_a_policy_the_channel_lacks_is_never_satisfied() {
            var policy = EndorsementPolicy.channelReference("/Channel/Application/Missing", CHANNEL);
            assertThat(policy.isSatisfiedBy(List.of(ORG1, ORG2))).isFalse();
        }

        @Test
        void refuses_bytes_that_set_neither_kind() {
            assertThatThrownBy(() -> EndorsementPolicy.fromApplicationPolicy(ByteString.EMPTY, CHANNEL))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("neither signature_policy nor channel_config_policy_reference");
        }

        @Test
        void refuses_bytes_that_are_not_an_application_policy() {
            assertThatThrownBy(() -> EndorsementPolicy.fromApplicationPolicy(
                    ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}), CHANNEL))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("failed to unmarshal ApplicationPolicy bytes");
        }
    }

    @Nested
    class FromAValidationParameter {

        @Test
        void reads_the_bare_signature_policy_envelope_the_shim_stores() {
            var envelope = SignaturePolicies.parse("AND('Org1MSP.peer', 'Org2MSP.peer')");
            var policy = EndorsementPolicy.fromValidationParameter(envelope.toByteArray());

            assertThat(policy).hasValue(EndorsementPolicy.signature(envelope));
            assertThat(policy.orElseThrow().isSatisfiedBy(List.of(ORG2, ORG1))).isTrue();
        }

        @Test
        void reads_the_policy_gridledgers_chaincode_writes_for_job_completion() {
            byte[] parameter = io.gridledger.chaincode.ledger.EndorsementPolicies.jobCompletion(
                    List.of("Org1MSP", "Org2MSP", "Org3MSP"), List.of("Org1MSP"));
            var policy = EndorsementPolicy.fromValidationParameter(parameter).orElseThrow();

            assertThat(policy.isSatisfiedBy(List.of(ORG1, ORG2))).isTrue();
            assertThat(policy.isSatisfiedBy(List.of(ORG1))).isFalse();
        }

        @Test
        void is_absent_when_the_key_has_none() {
            assertThat(EndorsementPolicy.fromValidationParameter(new byte[0])).isEmpty();
            assertThat(EndorsementPolicy.fromValidationParameter(null)).isEmpty();
        }

        @Test
        void refuses_bytes_that_are_not_an_envelope() {
            assertThatThrownBy(() -> EndorsementPolicy.fromValidationParameter(new byte[] {(byte) 0xff, 0x01}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("could not unmarshal signature policy envelope");
        }
    }
}
