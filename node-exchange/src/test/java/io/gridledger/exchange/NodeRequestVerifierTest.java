package io.gridledger.exchange;

import io.gridledger.exchange.NodeRequestRejectedException.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeRequestVerifierTest {

    static final TestIdentities.Issued CA = TestIdentities.ca("ca.org2.gridledger.example");
    static final TestIdentities.Issued NODE = TestIdentities.node(CA, "CN=node1@org2.gridledger.example,OU=client,OU=provider");
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final String TARGET = NodeExchange.inputsTarget("j-1", 0, 1);
    static final byte[] BODY = "{\"attempt\":1}".getBytes(StandardCharsets.UTF_8);

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final AtomicInteger trustChecks = new AtomicInteger();
    final CertificateTrust trustOrg2 = (msp, certificate, at) -> {
        trustChecks.incrementAndGet();
        if (!msp.equals("Org2MSP")) {
            throw new NodeRequestRejectedException(Reason.MSP_UNKNOWN, NodeExchange.HEADER_MSP, msp + " is unknown");
        }
    };
    final InMemoryNonceRegistry nonces = new InMemoryNonceRegistry(1000, clock);
    final NodeRequestVerifier verifier = new NodeRequestVerifier("Org1MSP", clock, Duration.ofSeconds(30), trustOrg2, nonces);
    final NodeRequestSigner signer = NodeRequestSigner.create("Org2MSP", NODE.pem(), NODE.keys().getPrivate()).withClock(clock);

    static Function<String, List<String>> lookup(Map<String, String> headers) {
        var lower = new HashMap<String, List<String>>();
        headers.forEach((name, value) -> lower.computeIfAbsent(name.toLowerCase(), n -> new ArrayList<>()).add(value));
        return name -> lower.getOrDefault(name.toLowerCase(), List.of());
    }

    VerifiedNode verify(String method, String target, Map<String, String> headers, byte[] body)
            throws NodeRequestRejectedException {
        return verifier.verify(method, target, lookup(headers), body);
    }

    Reason reasonOf(String method, String target, Map<String, String> headers, byte[] body) {
        try {
            verify(method, target, headers, body);
        } catch (NodeRequestRejectedException e) {
            return e.reason();
        }
        throw new AssertionError("the request verified");
    }

    Map<String, String> signed() {
        return new HashMap<>(signer.sign("POST", TARGET, "Org1MSP", BODY).headers());
    }

    @Test
    void a_request_signed_by_a_node_verifies_and_names_the_node_as_the_ledger_does() throws Exception {
        var node = verify("post", TARGET, signed(), BODY);

        assertThat(node.nodeId()).isEqualTo("Org2MSP/node1@org2.gridledger.example");
        assertThat(node.signedAt()).isEqualTo(NOW);
        assertThat(trustChecks).hasValue(1);
    }

    @Test
    void a_signer_that_signs_digests_like_fabric_s_signer_produces_requests_that_verify() throws Exception {
        DigestSigner external = digest -> {
            var jca = Signature.getInstance("NONEwithECDSA");
            jca.initSign(NODE.keys().getPrivate());
            jca.update(digest);
            return jca.sign();
        };
        var headers = NodeRequestSigner.create("Org2MSP", NODE.pem(), external).withClock(clock)
                .sign("GET", TARGET, "Org1MSP", new byte[0]).headers();

        assertThat(verify("GET", TARGET, headers, new byte[0]).commonName()).isEqualTo("node1@org2.gridledger.example");
    }

    @Test
    void every_signature_is_low_s_and_the_high_s_twin_of_a_valid_signature_is_refused() {
        var order = ((ECPublicKey) NODE.certificate().getPublicKey()).getParams().getOrder();
        for (int i = 0; i < 50; i++) {
            var headers = signed();
            var signature = EcdsaSignature.parse(Base64.getDecoder().decode(headers.get(NodeExchange.HEADER_SIGNATURE)))
                    .orElseThrow();
            assertThat(signature.isLowS(order)).isTrue();
            if (i == 0) {
                var twin = new EcdsaSignature(signature.r(), order.subtract(signature.s()));
                headers.put(NodeExchange.HEADER_SIGNATURE, Base64.getEncoder().encodeToString(twin.toDer()));
                assertThat(reasonOf("POST", TARGET, headers, BODY)).isEqualTo(Reason.SIGNATURE_INVALID);
            }
        }
    }

    @Nested
    class TamperingIsRefused {

        @Test
        void with_another_body() {
            assertThat(reasonOf("POST", TARGET, signed(), "{\"attempt\":2}".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(Reason.SIGNATURE_INVALID);
        }

        @Test
        void with_another_path_or_query_or_method() {
            assertThat(reasonOf("POST", NodeExchange.inputsTarget("j-2", 0, 1), signed(), BODY))
                    .isEqualTo(Reason.SIGNATURE_INVALID);
            assertThat(reasonOf("POST", NodeExchange.inputsTarget("j-1", 1, 1), signed(), BODY))
                    .isEqualTo(Reason.SIGNATURE_INVALID);
            assertThat(reasonOf("PUT", TARGET, signed(), BODY)).isEqualTo(Reason.SIGNATURE_INVALID);
        }

        @Test
        void with_another_msp_timestamp_or_nonce() {
            var msp = signed();
            msp.put(NodeExchange.HEADER_MSP, "Org3MSP");
            assertThat(reasonOf("POST", TARGET, msp, BODY)).isEqualTo(Reason.MSP_UNKNOWN);

            var timestamp = signed();
            timestamp.put(NodeExchange.HEADER_TIMESTAMP, Long.toString(NOW.toEpochMilli() - 1));
            assertThat(reasonOf("POST", TARGET, timestamp, BODY)).isEqualTo(Reason.SIGNATURE_INVALID);

            var nonce = signed();
            nonce.put(NodeExchange.HEADER_NONCE, Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
            assertThat(reasonOf("POST", TARGET, nonce, BODY)).isEqualTo(Reason.SIGNATURE_INVALID);
        }

        @Test
        void with_another_node_s_certificate() {
            var other = TestIdentities.node(CA, "CN=node2@org2.gridledger.example,OU=client,OU=provider");
            var headers = signed();
            headers.put(NodeExchange.HEADER_CERTIFICATE, NodeCertificates.toHeader(other.pem()));
            assertThat(reasonOf("POST", TARGET, headers, BODY)).isEqualTo(Reason.SIGNATURE_INVALID);
        }

        @Test
        void with_another_audience_which_is_named_as_such() {
            var headers = new HashMap<>(signer.sign("POST", TARGET, "Org3MSP", BODY).headers());
            assertThatThrownBy(() -> verify("POST", TARGET, headers, BODY))
                    .isInstanceOfSatisfying(NodeRequestRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE);
                        assertThat(e.reason().code()).isEqualTo("NODE_WRONG_AUDIENCE");
                        assertThat(e.header()).isEqualTo(NodeExchange.HEADER_AUDIENCE);
                        assertThat(e.getMessage()).contains("Org3MSP", "Org1MSP");
                    });
        }
    }

    @Test
    void a_replayed_request_is_refused_and_a_forgery_carrying_a_fresh_nonce_does_not_burn_it() throws Exception {
        var headers = signed();
        var forged = new HashMap<>(headers);
        forged.put(NodeExchange.HEADER_SIGNATURE, signed().get(NodeExchange.HEADER_SIGNATURE));

        assertThat(reasonOf("POST", TARGET, forged, BODY)).isEqualTo(Reason.SIGNATURE_INVALID);
        verify("POST", TARGET, headers, BODY);
        assertThat(reasonOf("POST", TARGET, headers, BODY)).isEqualTo(Reason.NONCE_REPLAYED);
    }

    @Test
    void a_stale_or_future_timestamp_is_refused_and_one_within_the_tolerance_is_not() throws Exception {
        var stale = NodeRequestSigner.create("Org2MSP", NODE.pem(), NODE.keys().getPrivate())
                .withClock(Clock.fixed(NOW.minusSeconds(31), ZoneOffset.UTC)).sign("POST", TARGET, "Org1MSP", BODY);
        var future = NodeRequestSigner.create("Org2MSP", NODE.pem(), NODE.keys().getPrivate())
                .withClock(Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC)).sign("POST", TARGET, "Org1MSP", BODY);
        var late = NodeRequestSigner.create("Org2MSP", NODE.pem(), NODE.keys().getPrivate())
                .withClock(Clock.fixed(NOW.minusSeconds(29), ZoneOffset.UTC)).sign("POST", TARGET, "Org1MSP", BODY);

        assertThat(reasonOf("POST", TARGET, stale.headers(), BODY)).isEqualTo(Reason.TIMESTAMP_STALE);
        assertThat(reasonOf("POST", TARGET, future.headers(), BODY)).isEqualTo(Reason.TIMESTAMP_FUTURE);
        verify("POST", TARGET, late.headers(), BODY);
        assertThat(trustChecks).as("the clock is checked before the certificate").hasValue(1);
    }

    @Test
    void missing_duplicate_and_malformed_headers_are_named() {
        for (var name : NodeExchange.HEADERS) {
            var headers = signed();
            headers.remove(name);
            assertThatThrownBy(() -> verify("POST", TARGET, headers, BODY))
                    .isInstanceOfSatisfying(NodeRequestRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.HEADER_MISSING);
                        assertThat(e.header()).isEqualTo(name);
                    });
        }
        var twice = signed();
        Function<String, List<String>> doubled = name -> name.equalsIgnoreCase(NodeExchange.HEADER_NONCE)
                ? List.of(twice.get(NodeExchange.HEADER_NONCE), twice.get(NodeExchange.HEADER_NONCE))
                : lookup(twice).apply(name);
        assertThatThrownBy(() -> verifier.verify("POST", TARGET, doubled, BODY))
                .hasMessageContaining("appears 2 times");

        var shortNonce = signed();
        shortNonce.put(NodeExchange.HEADER_NONCE, Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[15]));
        assertThat(reasonOf("POST", TARGET, shortNonce, BODY)).isEqualTo(Reason.HEADER_MALFORMED);
        var badTimestamp = signed();
        badTimestamp.put(NodeExchange.HEADER_TIMESTAMP, "2026-12-05T10:00:00Z");
        assertThat(reasonOf("POST", TARGET, badTimestamp, BODY)).isEqualTo(Reason.HEADER_MALFORMED);
        var notPem = signed();
        notPem.put(NodeExchange.HEADER_CERTIFICATE, Base64.getEncoder().encodeToString("hello".getBytes()));
        assertThat(reasonOf("POST", TARGET, notPem, BODY)).isEqualTo(Reason.CERTIFICATE_MALFORMED);
        var notBase64 = signed();
        notBase64.put(NodeExchange.HEADER_SIGNATURE, "%%%");
        assertThat(reasonOf("POST", TARGET, notBase64, BODY)).isEqualTo(Reason.SIGNATURE_INVALID);
    }

    @Test
    void the_trust_hook_s_refusal_is_what_the_caller_gets() {
        var refusing = new NodeRequestVerifier("Org1MSP", clock, Duration.ofSeconds(30), (msp, cert, at) -> {
            throw new NodeRequestRejectedException(Reason.NOT_A_PROVIDER, NodeExchange.HEADER_CERTIFICATE, "a client");
        }, nonces);
        assertThatThrownBy(() -> refusing.verify("POST", TARGET, lookup(signed()), BODY))
                .isInstanceOfSatisfying(NodeRequestRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_PROVIDER));
    }

    @Test
    void the_canonical_request_is_the_documented_lines() {
        var canonical = new CanonicalRequest("GET", "/api/v1/exchange/jobs/j-1/inputs?replica=0&attempt=1", "Org1MSP",
                "Org2MSP", "a".repeat(64), 1796464800000L, "bm9uY2Vub25jZW5vbmNlbm9uY2U",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(new String(canonical.toBytes(), StandardCharsets.US_ASCII)).isEqualTo("""
                gridledger/node-request/v1
                GET
                /api/v1/exchange/jobs/j-1/inputs?replica=0&attempt=1
                Org1MSP
                Org2MSP
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
                1796464800000
                bm9uY2Vub25jZW5vbmNlbm9uY2U
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
    }

    @Test
    void targets_percent_encode_everything_but_unreserved_characters() {
        assertThat(NodeExchange.outputsTarget("j-a b/é", 2)).isEqualTo("/api/v1/exchange/jobs/j-a%20b%2F%C3%A9/replicas/2/outputs");
        assertThat(NodeExchange.completeTarget("j-1", 0)).isEqualTo("/api/v1/exchange/jobs/j-1/replicas/0/outputs/complete");
        assertThat(NodeExchange.progressTarget("j-1", 1)).isEqualTo("/api/v1/exchange/jobs/j-1/replicas/1/progress");
        assertThatThrownBy(() -> NodeExchange.inputsTarget("j-1", 0, 0)).hasMessageContaining("attempt");
    }

    @Test
    void a_signer_refuses_what_is_no_pem_certificate_and_an_msp_id_with_spaces() {
        assertThatThrownBy(() -> NodeRequestSigner.create("Org2MSP", "nope", NODE.keys().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PEM");
        assertThatThrownBy(() -> NodeRequestSigner.create("Org2 MSP", NODE.pem(), NODE.keys().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mspId");
    }
}
