package io.gridledger.devnet.bench;

import io.gridledger.devnet.ledger.ChannelLedger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Takes the measurements of a phase: over its measured window, CPU use, blocks cut and (optionally) a sampling
 * profile; over the whole load, from the first transaction to the last, the ECDSA operations, so that they can be
 * divided by every transaction attempted.
 */
final class PhaseMeter implements LoadRun.WindowListener {

    private final CpuMeter cpu;
    private final ChannelLedger ledger;
    private final Path profileFile;
    private final SampledProfile profile;
    private CpuMeter.Snapshot cpuFrom;
    private SignatureCounter.Counts cryptoFrom;
    private long heightFrom;
    private CpuMeter.Usage usage;
    private SignatureCounter.Counts crypto;
    private long blocks;
    private SampledProfile.Summary summary;

    /** @param profileFile where to keep the JFR recording, or null for no profile */
    PhaseMeter(CpuMeter cpu, ChannelLedger ledger, Path profileFile) {
        this.cpu = cpu;
        this.ledger = ledger;
        this.profileFile = profileFile;
        this.profile = profileFile == null ? null : new SampledProfile();
    }

    @Override
    public void started() {
        cryptoFrom = SignatureCounter.snapshot();
    }

    @Override
    public void opened() {
        if (profile != null) {
            profile.start();
        }
        heightFrom = ledger.height();
        cpuFrom = cpu.snapshot();
    }

    @Override
    public void closed() {
        usage = cpu.between(cpuFrom, cpu.snapshot());
        blocks = ledger.height() - heightFrom;
        if (profile != null) {
            try {
                summary = profile.stop(profileFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void stopped() {
        crypto = SignatureCounter.snapshot().minus(cryptoFrom);
    }

    CpuMeter.Usage usage() {
        return usage;
    }

    /** ECDSA operations from the start of the load until its last transaction finished. */
    SignatureCounter.Counts crypto() {
        return crypto;
    }

    long blocks() {
        return blocks;
    }

    Optional<SampledProfile.Summary> profile() {
        return Optional.ofNullable(summary);
    }
}
