package io.gridledger.devnet.policy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a channel profile of Fabric's {@code configtx.yaml} into a {@link ChannelDefinition}, the way configtxgen
 * reads it, so that devnet's channel and a real network's channel made from the same file agree.
 *
 * <p>What it honours, as configtxgen does: YAML anchors, aliases and {@code <<} merge keys (fabric-samples'
 * {@code <<: *ApplicationDefaults}); field names in any letter case (policy, capability and profile names are kept as
 * written); {@code MSPDir} relative to the folder of {@code configtx.yaml}; policies of type {@code Signature} (the
 * policy language) or {@code ImplicitMeta} ({@code MAJORITY Endorsement}); the Admins, Readers and Writers policies
 * every group must have, and the orderer's BlockValidation; capabilities set to {@code true}; {@code BatchTimeout} in
 * Go's duration format ({@code 250ms}, {@code 2s}, {@code 1m30s}); byte sizes such as {@code 10 MB} or
 * {@code 512 KB} (binary units); configtxgen's orderer defaults where a value is missing or zero.
 *
 * <pre>{@code
 * ChannelDefinition channel = ConfigTx.read(Path.of("network-config/fabric/configtx.yaml"), "GridLedgerChannel", "gridledger");
 * ChannelPolicies policies = channel.policies();
 * }</pre>
 *
 * Every problem is reported as an {@link IllegalArgumentException} that names the profile and the part at fault.
 */
public final class ConfigTx {

    private static final Pattern BYTE_SIZE = Pattern.compile("([0-9]+)\\s*(?i)([kmg])b?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(2);
    private static final long DEFAULT_MAX_MESSAGE_COUNT = 500;
    private static final long DEFAULT_ABSOLUTE_MAX_BYTES = 10L * 1024 * 1024;
    private static final long DEFAULT_PREFERRED_MAX_BYTES = 2L * 1024 * 1024;

    private ConfigTx() {}

    /**
     * Reads {@code profile} of {@code configtxYaml} as the definition of channel {@code channelName}.
     *
     * @throws IllegalArgumentException when the file cannot be read or parsed, the profile is missing, or the profile
     *         is not a valid channel definition
     */
    public static ChannelDefinition read(Path configtxYaml, String profile, String channelName) {
        Objects.requireNonNull(configtxYaml, "configtxYaml");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(channelName, "channelName");
        Object document;
        try (Reader reader = Files.newBufferedReader(configtxYaml, StandardCharsets.UTF_8)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + configtxYaml + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("cannot parse " + configtxYaml + ": " + e.getMessage(), e);
        }
        Path folder = configtxYaml.toAbsolutePath().normalize().getParent();
        var top = asMap(document, configtxYaml.toString());
        var profiles = asMap(required(top, "Profiles", configtxYaml.toString()), "Profiles");
        if (!profiles.containsKey(profile)) {
            throw new IllegalArgumentException("profile " + profile + " is not in " + configtxYaml
                    + "; it has " + profiles.keySet());
        }
        return new Reading(folder, "profile " + profile).channel(asMap(profiles.get(profile), "profile " + profile),
                profile, channelName);
    }

    /** The parts of one profile, with the context that error messages name. */
    private record Reading(Path folder, String where) {

        ChannelDefinition channel(Map<String, Object> profile, String profileName, String channelName) {
            var application = asMap(required(profile, "Application", where), where + ": Application");
            var orderer = asMap(required(profile, "Orderer", where), where + ": Orderer");
            var applicationOrgs = organizations(application, where + ": Application");
            return new ChannelDefinition(
                    channelName,
                    profileName,
                    policies(field(profile, "Policies"), where + ": Policies", false),
                    capabilities(field(profile, "Capabilities"), where + ": Capabilities"),
                    applicationOrgs,
                    policies(field(application, "Policies"), where + ": Application: Policies", false),
                    capabilities(field(application, "Capabilities"), where + ": Application: Capabilities"),
                    orderer(orderer));
        }

        private ChannelDefinition.Orderer orderer(Map<String, Object> orderer) {
            String context = where + ": Orderer";
            String type = optionalString(orderer, "OrdererType", context);
            if (type == null || type.isEmpty()) {
                type = "solo";
            }
            Optional<ChannelDefinition.EtcdRaft> etcdRaft = Optional.empty();
            if (type.equals("etcdraft")) {
                var raft = field(orderer, "EtcdRaft");
                var consenters = raft == null ? null : field(asMap(raft, context + ": EtcdRaft"), "Consenters");
                if (consenters == null || asList(consenters, context + ": EtcdRaft: Consenters").isEmpty()) {
                    throw new IllegalArgumentException(context + ": etcdraft configuration did not specify any"
                            + " consenter");
                }
                etcdRaft = Optional.of(etcdRaft(asMap(raft, context + ": EtcdRaft"), context + ": EtcdRaft"));
            }
            Duration batchTimeout = duration(field(orderer, "BatchTimeout"), context + ": BatchTimeout");
            if (batchTimeout.isZero()) {
                batchTimeout = DEFAULT_BATCH_TIMEOUT;
            }
            var batchSizeField = field(orderer, "BatchSize");
            Map<String, Object> batchSize = batchSizeField == null
                    ? Map.of()
                    : asMap(batchSizeField, context + ": BatchSize");
            long maxMessageCount = uint32(field(batchSize, "MaxMessageCount"), context + ": BatchSize: MaxMessageCount");
            long absoluteMaxBytes = byteSize(field(batchSize, "AbsoluteMaxBytes"),
                    context + ": BatchSize: AbsoluteMaxBytes");
            long preferredMaxBytes = byteSize(field(batchSize, "PreferredMaxBytes"),
                    context + ": BatchSize: PreferredMaxBytes");
            return new ChannelDefinition.Orderer(
                    type,
                    strings(field(orderer, "Addresses"), context + ": Addresses"),
                    batchTimeout,
                    new ChannelDefinition.BatchSize(
                            maxMessageCount == 0 ? DEFAULT_MAX_MESSAGE_COUNT : maxMessageCount,
                            absoluteMaxBytes == 0 ? DEFAULT_ABSOLUTE_MAX_BYTES : absoluteMaxBytes,
                            preferredMaxBytes == 0 ? DEFAULT_PREFERRED_MAX_BYTES : preferredMaxBytes),
                    organizations(orderer, context),
                    policies(field(orderer, "Policies"), context + ": Policies", true),
                    capabilities(field(orderer, "Capabilities"), context + ": Capabilities"),
                    etcdRaft);
        }

        /** configtxgen's EtcdRaft: consenters' certificate paths against the file's folder, Options' defaults. */
        private ChannelDefinition.EtcdRaft etcdRaft(Map<String, Object> raft, String context) {
            var consenters = new ArrayList<ChannelDefinition.Consenter>();
            for (Object entry : asList(field(raft, "Consenters"), context + ": Consenters")) {
                var consenter = asMap(entry, context + ": Consenters");
                consenters.add(new ChannelDefinition.Consenter(hostPort(consenter, context + ": Consenters"),
                        folder.resolve(requiredString(consenter, "ClientTLSCert", context)).normalize(),
                        folder.resolve(requiredString(consenter, "ServerTLSCert", context)).normalize()));
            }
            var optionsField = field(raft, "Options");
            Map<String, Object> options = optionsField == null ? Map.of() : asMap(optionsField, context + ": Options");
            var tick = optionalString(options, "TickInterval", context + ": Options");
            long election = uint32(field(options, "ElectionTick"), context + ": Options: ElectionTick");
            long heartbeat = uint32(field(options, "HeartbeatTick"), context + ": Options: HeartbeatTick");
            long inflight = uint32(field(options, "MaxInflightBlocks"), context + ": Options: MaxInflightBlocks");
            long snapshot = byteSize(field(options, "SnapshotIntervalSize"), context + ": Options: SnapshotIntervalSize");
            // configtxgen's defaults (genesisconfig.completeInitialization) for what the file leaves out
            return new ChannelDefinition.EtcdRaft(consenters, tick == null || tick.isEmpty() ? "500ms" : tick,
                    election == 0 ? 10 : (int) election, heartbeat == 0 ? 1 : (int) heartbeat,
                    inflight == 0 ? 5 : (int) inflight, snapshot == 0 ? 16L << 20 : snapshot);
        }

        private static ChannelDefinition.HostPort hostPort(Map<String, Object> entry, String context) {
            var port = uint32(required(entry, "Port", context), context + ": Port");
            return new ChannelDefinition.HostPort(requiredString(entry, "Host", context), (int) port);
        }

        private List<ChannelDefinition.Organization> organizations(Map<String, Object> section, String context) {
            var list = field(section, "Organizations");
            var orgs = new ArrayList<ChannelDefinition.Organization>();
            var names = new HashSet<String>();
            for (Object entry : list == null ? List.of() : asList(list, context + ": Organizations")) {
                var org = asMap(entry, context + ": Organizations");
                String name = requiredString(org, "Name", context + ": organization");
                String orgContext = context + ": organization " + name;
                if (!names.add(name)) {
                    throw new IllegalArgumentException(context + ": organization " + name + " is listed twice");
                }
                String mspType = optionalString(org, "MSPType", orgContext);
                orgs.add(new ChannelDefinition.Organization(
                        name,
                        requiredString(org, "ID", orgContext),
                        folder.resolve(requiredString(org, "MSPDir", orgContext)).normalize(),
                        mspType == null || mspType.isEmpty() ? "bccsp" : mspType,
                        policies(field(org, "Policies"), orgContext + ": Policies", false),
                        strings(field(org, "OrdererEndpoints"), orgContext + ": OrdererEndpoints"),
                        anchorPeers(field(org, "AnchorPeers"), orgContext + ": AnchorPeers")));
            }
            return orgs;
        }
    }

    private static List<ChannelDefinition.HostPort> anchorPeers(Object section, String context) {
        var peers = new ArrayList<ChannelDefinition.HostPort>();
        for (Object entry : section == null ? List.of() : asList(section, context)) {
            peers.add(Reading.hostPort(asMap(entry, context), context));
        }
        return peers;
    }

    private static TreeMap<String, ConfigPolicy> policies(Object section, String context, boolean orderer) {
        if (section == null) {
            throw new IllegalArgumentException(context + ": no policies defined");
        }
        var policies = new TreeMap<String, ConfigPolicy>();
        asMap(section, context).forEach((name, value) -> {
            var policy = asMap(value, context + ": " + name);
            String type = optionalString(policy, "Type", context + ": " + name);
            String rule = optionalString(policy, "Rule", context + ": " + name);
            try {
                policies.put(name, ConfigPolicy.of(type == null ? "" : type, rule == null ? "" : rule));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(context + ": " + name + ": " + e.getMessage(), e);
            }
        });
        var required = new ArrayList<>(List.of("Admins", "Readers", "Writers"));
        if (orderer) {
            required.add(0, "BlockValidation");
        }
        for (String name : required) {
            if (!policies.containsKey(name)) {
                throw new IllegalArgumentException(context + ": no " + name + " policy defined");
            }
        }
        return policies;
    }

    private static SortedSet<String> capabilities(Object section, String context) {
        var enabled = new TreeSet<String>();
        if (section == null) {
            return enabled;
        }
        asMap(section, context).forEach((name, value) -> {
            if (!(value instanceof Boolean on)) {
                throw new IllegalArgumentException(context + ": " + name + " must be true or false, not " + value);
            }
            if (on) {
                enabled.add(name);
            }
        });
        return enabled;
    }

    /**
     * Parses a duration as Go's {@code time.ParseDuration} does: a sequence of decimal numbers, each with a unit
     * ({@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), optionally signed, e.g.
     * {@code 250ms}, {@code 1m30s}, {@code 1.5h}; {@code 0} needs no unit.
     */
    static Duration parseGoDuration(String text) {
        Objects.requireNonNull(text, "text");
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            boolean digits = i > start;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fraction = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                digits |= i > fraction;
            }
            if (!digits) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            }
            String numberText = s.substring(start, i);
            BigDecimal number = new BigDecimal(numberText.endsWith(".") ? numberText + "0"
                    : numberText.startsWith(".") ? "0" + numberText : numberText);
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !Character.isDigit(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("missing unit in duration \"" + text + "\"");
            }
            long unitNanos = switch (unit) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException(
                        "unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            };
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
        }
        BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (whole.bitLength() > 63) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range");
        }
        long value = whole.longValueExact();
        return Duration.ofNanos(negative ? -value : value);
    }

    /**
     * Parses a byte size as configtxgen does: a number of bytes, or a number with a binary unit {@code K}, {@code M}
     * or {@code G}, optionally followed by {@code B}, in any case and optionally after spaces ({@code 10 MB},
     * {@code 512 KB}, {@code 2mb}); it must fit in 32 bits unsigned.
     */
    static long parseByteSize(String text) {
        Objects.requireNonNull(text, "text");
        var matcher = BYTE_SIZE.matcher(text);
        long size;
        if (matcher.matches()) {
            int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                default -> 30;
            };
            BigInteger bytes = new BigInteger(matcher.group(1)).shiftLeft(shift);
            if (bytes.compareTo(BigInteger.valueOf(UINT32_MAX)) > 0) {
                throw new IllegalArgumentException("value '" + text + "' overflows uint32");
            }
            size = bytes.longValue();
        } else if (DIGITS.matcher(text).matches()) {
            size = uint32(text, "byte size");
        } else {
            throw new IllegalArgumentException("invalid byte size '" + text
                    + "': expected a number of bytes or a size such as 10 MB or 512 KB");
        }
        return size;
    }

    private static long byteSize(Object value, String context) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String text) {
            try {
                return text.isEmpty() ? 0 : parseByteSize(text.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(context + ": " + e.getMessage(), e);
            }
        }
        return uint32(value, context);
    }

    private static long uint32(Object value, String context) {
        if (value == null) {
            return 0;
        }
        BigInteger number;
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            number = new BigInteger(value.toString());
        } else if (value instanceof String text && DIGITS.matcher(text.strip()).matches()) {
            number = new BigInteger(text.strip());
        } else {
            throw new IllegalArgumentException(context + ": expected a whole number, not '" + value + "'");
        }
        if (number.signum() < 0 || number.compareTo(BigInteger.valueOf(UINT32_MAX)) > 0) {
            throw new IllegalArgumentException(context + ": value '" + value + "' overflows uint32");
        }
        return number.longValue();
    }

    private static Duration duration(Object value, String context) {
        if (value == null) {
            return Duration.ZERO;
        }
        if (value instanceof Integer || value instanceof Long) {
            return Duration.ofNanos(((Number) value).longValue());
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(context + ": expected a duration such as 250ms or 2s, not " + value);
        }
        try {
            return parseGoDuration(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(context + ": " + e.getMessage(), e);
        }
    }

    /** A field of a configtx struct: configtxgen matches field names ignoring case. */
    private static Object field(Map<String, Object> map, String name) {
        if (map.containsKey(name)) {
            return map.get(name);
        }
        for (var entry : map.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Object required(Map<String, Object> map, String name, String context) {
        Object value = field(map, name);
        if (value == null) {
            throw new IllegalArgumentException(context + ": " + name + " is missing");
        }
        return value;
    }

    private static String requiredString(Map<String, Object> map, String name, String context) {
        String value = optionalString(map, name, context);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(context + ": " + name + " is missing");
        }
        return value;
    }

    private static String optionalString(Map<String, Object> map, String name, String context) {
        Object value = field(map, name);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(context + ": " + name + " must be a single value");
        }
        return value.toString();
    }

    private static List<String> strings(Object value, String context) {
        if (value == null) {
            return List.of();
        }
        var strings = new ArrayList<String>();
        for (Object item : asList(value, context)) {
            if (item instanceof Map || item instanceof List || item == null) {
                throw new IllegalArgumentException(context + ": expected a list of strings");
            }
            strings.add(item.toString());
        }
        return strings;
    }

    private static Map<String, Object> asMap(Object value, String context) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(context + ": expected a mapping, found "
                    + (value == null ? "nothing" : value.getClass().getSimpleName()));
        }
        var copy = new LinkedHashMap<String, Object>();
        map.forEach((key, item) -> copy.put(String.valueOf(key), item));
        return copy;
    }

    private static List<?> asList(Object value, String context) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(context + ": expected a list");
        }
        return list;
    }
}
