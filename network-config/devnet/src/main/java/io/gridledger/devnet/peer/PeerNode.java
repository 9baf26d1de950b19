package io.gridledger.devnet.peer;

import io.gridledger.devnet.msp.Identity;

/** A peer of the channel as gateways see it: its org, where it listens, its identity and its endorser. */
public record PeerNode(String mspId, String address, Identity identity, Endorser endorser) {
}
