package io.gridledger.ledger;

import java.util.List;
import java.util.Objects;

/**
 * A member org's MSP as the channel configuration defines it (cscc {@code GetChannelConfig}, the org's group under
 * {@code Application}): the CAs its identities must chain to and its revocation lists, each DER or PEM bytes as the
 * configuration holds them. This is what lets one org's gateway check another org's identity without trusting the
 * other org's word for it.
 */
public record ChannelMsp(String mspId, List<byte[]> rootCerts, List<byte[]> intermediateCerts, List<byte[]> crls) {

    public ChannelMsp {
        Objects.requireNonNull(mspId, "mspId");
        rootCerts = List.copyOf(rootCerts);
        intermediateCerts = List.copyOf(intermediateCerts);
        crls = List.copyOf(crls);
    }
}
