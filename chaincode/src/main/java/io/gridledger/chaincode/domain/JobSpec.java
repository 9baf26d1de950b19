package io.gridledger.chaincode.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.gridledger.chaincode.domain.Rejection.require;
import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * What a client submits: a container job and the terms it will pay under.
 *
 * @param jobId         id chosen by the client's gateway (a retried submit cannot create a second job)
 * @param image         container image pinned by digest, {@code name@sha256:…}
 * @param command       command and arguments run in the container
 * @param env           environment variables
 * @param inputs        input objects, addressed by SHA-256 in object storage
 * @param resources     resources one replica needs
 * @param maxUnitPrice  the most the client pays per resource-unit-second on any offer
 * @param timeoutSeconds the longest one replica may run; payment is capped by it
 * @param verification  single execution or replicated with a quorum
 * @param minReputation reputation floor (0–1000) a provider node must have to be assigned
 * @param deadline      epoch second by which the job must be complete; no (re)assignment past it
 */
public record JobSpec(String jobId, String image, List<String> command, Map<String, String> env, List<InputRef> inputs,
                      Resources resources, long maxUnitPrice, long timeoutSeconds, Verification verification,
                      int minReputation, long deadline) {

    public static final long MAX_TIMEOUT_SECONDS = 30L * 86_400;
    /**
     * Most bytes a job spec may take as JSON. With every other field of a job bounded, a job record stays under
     * {@code Job.MAX_RECORD_BYTES}, so listing pages fit a gRPC message.
     */
    public static final int MAX_BYTES = 16 * 1024;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public JobSpec {
        Ids.requireAssetId("jobId", jobId);
        Ids.requireImageByDigest("image", image);
        // Checked before List.copyOf, which would throw a bare NullPointerException on a null element.
        command = command == null ? List.of() : command;
        require(command.size() <= 256, "command has more than 256 arguments");
        for (var arg : command) {
            require(arg != null && arg.length() <= 4096, "command arguments must be non-null and at most 4096 characters");
        }
        command = List.copyOf(command);
        var sortedEnv = new TreeMap<String, String>();
        if (env != null) {
            require(env.size() <= 128, "at most 128 environment variables");
            env.forEach((name, value) -> {
                require(name != null && ENV_NAME.matcher(name).matches(), "env: invalid variable name '" + name + "'");
                require(value != null && value.length() <= 4096, "env: value of " + name + " must be at most 4096 characters");
                sortedEnv.put(name, value);
            });
        }
        env = java.util.Collections.unmodifiableSortedMap(sortedEnv);
        inputs = inputs == null ? List.of() : inputs;
        require(inputs.size() <= 256, "at most 256 inputs");
        var names = new HashSet<String>();
        for (var input : inputs) {
            require(input != null, "inputs must not contain null");
            require(names.add(input.name()), "inputs: duplicate name '" + input.name() + "'");
        }
        inputs = List.copyOf(inputs);
        requirePresent("resources", resources);
        requireRange("maxUnitPrice", maxUnitPrice, 1, Pricing.MAX_UNIT_PRICE);
        requireRange("timeoutSeconds", timeoutSeconds, 1, MAX_TIMEOUT_SECONDS);
        requirePresent("verification", verification);
        requireRange("minReputation", minReputation, 0, 1000);
        require(deadline > 0, "deadline (epoch seconds) is required");
    }

    /** The same spec with the verification the job actually runs under (defaults filled in). */
    public JobSpec withVerification(Verification resolved) {
        return new JobSpec(jobId, image, command, env, inputs, resources, maxUnitPrice, timeoutSeconds, resolved,
                minReputation, deadline);
    }

    /**
     * A reference to an input object.
     *
     * @param name      file name the input gets in the container's input folder
     * @param sha256    SHA-256 of the object's bytes: its address in object storage
     * @param sizeBytes size of the object
     */
    public record InputRef(String name, String sha256, long sizeBytes) {
        private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

        public InputRef {
            require(name != null && FILE_NAME.matcher(name).matches(),
                    "inputs: name must be a plain file name (letters, digits, . _ -), got '" + name + "'");
            Ids.requireSha256("inputs." + name + ".sha256", sha256);
            requireRange("inputs." + name + ".sizeBytes", sizeBytes, 0, 1L << 40);
        }
    }
}
