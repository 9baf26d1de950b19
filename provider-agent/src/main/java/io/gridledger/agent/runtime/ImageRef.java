package io.gridledger.agent.runtime;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image pinned by digest, never by tag: a tag can move between the replicas of one job, a digest cannot.
 *
 * <ul>
 *   <li>{@code repository@sha256:<64 hex>}: a registry manifest digest, found among the engine's RepoDigests;</li>
 *   <li>{@code sha256:<64 hex>}: an image id (the digest of its config), what a locally built or loaded image has
 *       when no registry ever saw it, as here.</li>
 * </ul>
 *
 * <pre>{@code
 * ImageRef.parse("sha256:a9ce00b2…");                    // local image id
 * ImageRef.parse("registry.example/solver@sha256:9f2c…");  // repo digest
 * ImageRef.parse("solver:latest");                         // IllegalArgumentException: a tag is not a pin
 * }</pre>
 */
public record ImageRef(String reference) {

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/:-][a-z0-9]+)*");

    public ImageRef {
        Objects.requireNonNull(reference, "reference");
        int at = reference.indexOf('@');
        String digest = at < 0 ? reference : reference.substring(at + 1);
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("image '" + reference + "' is not pinned by digest: use "
                    + "repository@sha256:<64 hex> or an image id sha256:<64 hex>");
        }
        if (at >= 0 && !REPOSITORY.matcher(reference.substring(0, at)).matches()) {
            throw new IllegalArgumentException("image '" + reference + "' has an invalid repository name");
        }
    }

    public static ImageRef parse(String reference) {
        return new ImageRef(reference);
    }

    /** The {@code sha256:…} part. */
    public String digest() {
        int at = reference.indexOf('@');
        return at < 0 ? reference : reference.substring(at + 1);
    }

    /** The repository of a repo digest; empty for an image id. */
    public Optional<String> repository() {
        int at = reference.indexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(reference.substring(0, at));
    }

    /** True for a bare image id, false for a registry manifest digest. */
    public boolean isImageId() {
        return reference.indexOf('@') < 0;
    }

    @Override
    public String toString() {
        return reference;
    }
}
