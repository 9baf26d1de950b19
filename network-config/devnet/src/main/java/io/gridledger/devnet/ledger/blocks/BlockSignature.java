package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;

/**
 * One signature from a block's {@code SIGNATURES} metadata, in the shape Fabric's policy evaluation takes
 * ({@code protoutil.SignedData}): who signed ({@code creator}, the serialized identity from the signature header),
 * the bytes they signed ({@code metadata.value ‖ signature_header ‖ BlockHashes.headerBytes(header)}) and the
 * signature. Produced by {@link Blocks#signatures}; the caller decides which identities are acceptable.
 */
public record BlockSignature(ByteString creator, byte[] signedBytes, byte[] signature) {
}
