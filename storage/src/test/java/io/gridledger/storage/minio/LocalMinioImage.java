package io.gridledger.storage.minio;

import com.github.dockerjava.api.model.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Enables a test class only where a MinIO image is already in the local Docker engine: no container registry can be
 * reached from GridLedger's build machines, so an image can only be one built or loaded locally. The reason a class
 * is disabled shows in the test report.
 */
final class LocalMinioImage implements ExecutionCondition {

    /** Docker's default socket, used when DOCKER_HOST is not set. */
    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private static volatile Lookup lookup;

    private record Lookup(Optional<String> image, String reason) {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Lookup result = lookup();
        return result.image().isPresent()
                ? ConditionEvaluationResult.enabled(result.reason())
                : ConditionEvaluationResult.disabled(result.reason());
    }

    /** The local MinIO image to run ({@code minio/minio:<tag>}). */
    static String image() {
        return lookup().image().orElseThrow(() -> new IllegalStateException(lookup().reason()));
    }

    private static synchronized Lookup lookup() {
        if (lookup == null) {
            // An engine that hangs (or a Testcontainers that waits for an image it cannot pull) must not hang the build.
            try {
                lookup = CompletableFuture.supplyAsync(LocalMinioImage::find).get(LOOKUP_TIMEOUT.toSeconds(),
                        TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                lookup = new Lookup(Optional.empty(), "no MinIO: the Docker engine did not list its images within "
                        + LOOKUP_TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                lookup = new Lookup(Optional.empty(), "no MinIO: asking the Docker engine for its images failed: "
                        + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lookup = new Lookup(Optional.empty(), "no MinIO: interrupted while asking the Docker engine");
            }
        }
        return lookup;
    }

    private static Lookup find() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(DEFAULT_SOCKET)) {
            return new Lookup(Optional.empty(), "no MinIO: no Docker engine here (DOCKER_HOST is unset and "
                    + DEFAULT_SOCKET + " does not exist), and no image could be pulled anyway");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return new Lookup(Optional.empty(), "no MinIO: the Docker engine does not answer");
        }
        List<Image> images = DockerClientFactory.instance().client().listImagesCmd()
                .withReferenceFilter("minio/minio").exec();
        return images.stream()
                .flatMap(image -> image.getRepoTags() == null ? java.util.stream.Stream.empty()
                        : Arrays.stream(image.getRepoTags()))
                .filter(tag -> tag.startsWith("minio/minio:"))
                .findFirst()
                .map(tag -> new Lookup(Optional.of(tag), "MinIO image " + tag + " is in the local Docker engine"))
                .orElseGet(() -> new Lookup(Optional.empty(), "no MinIO: the local Docker engine has no minio/minio "
                        + "image and none can be pulled here (no container registry is reachable)"));
    }
}
