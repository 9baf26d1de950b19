package io.gridledger.gateway.objects;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.net.URI;
import java.time.Duration;

/**
 * This org's object store ({@code gridledger.objects.*}, or {@code GRIDLEDGER_OBJECTS_*} in the environment): an S3
 * server (MinIO in production) by its endpoint and credentials, or the embedded s3proxy of the local stack
 * ({@code embedded=true}, like {@code gridledger.kafka.embedded}). Without either, the gateway has no object store:
 * no uploads, no inputs, no node exchange, results from the ledger only.
 *
 * @param embedded        start an embedded S3 server (s3proxy in a child process) and use it
 * @param endpoint        the S3 endpoint the gateway talks to, {@code https://minio.org1.example:9000}
 * @param publicEndpoint  the endpoint presigned URLs name, when partners and other orgs' nodes reach the store by
 *                        another address than the gateway does (a public name in front of an internal one)
 * @param accessKey       the gateway's access key (the embedded server's own when absent there)
 * @param secretKey       its secret key
 * @param bucket          the one bucket of objects and records
 * @param region          the region the server signs for ({@code us-east-1} for MinIO unless it says otherwise)
 * @param presignExpiry   how long a presigned URL handed to a partner or a node is valid
 * @param partSize        multipart part size of streamed puts (memory per put in flight is about twice this)
 * @param embeddedDataDir where the embedded server keeps its objects (filesystem backend, kept across restarts)
 * @param embeddedPort    its port (0: a free one)
 * @param embeddedMaxHeap its JVM's heap
 * @param maxObjectBytes  the largest single object a partner may upload as an input or a node as an output
 */
@ConfigurationProperties("gridledger.objects")
public record ObjectSettings(
        @Bindable(defaultValue = "false") boolean embedded,
        @Nullable URI endpoint,
        @Nullable URI publicEndpoint,
        @Nullable String accessKey,
        @Nullable String secretKey,
        @Bindable(defaultValue = "gridledger") @NotBlank String bucket,
        @Bindable(defaultValue = "us-east-1") @NotBlank String region,
        @Bindable(defaultValue = "15m") Duration presignExpiry,
        @Bindable(defaultValue = "16777216") long partSize,
        @Bindable(defaultValue = "data/objects") String embeddedDataDir,
        @Bindable(defaultValue = "0") int embeddedPort,
        @Bindable(defaultValue = "256m") String embeddedMaxHeap,
        @Bindable(defaultValue = "1073741824") long maxObjectBytes) {

    @Override
    public String toString() {
        return "ObjectSettings[embedded=" + embedded + ", endpoint=" + endpoint + ", publicEndpoint=" + publicEndpoint
                + ", bucket=" + bucket + ", region=" + region + ", secretKey=(hidden)]";
    }
}
