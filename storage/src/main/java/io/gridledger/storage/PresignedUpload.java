package io.gridledger.storage;

import java.util.Objects;

/**
 * What {@link ObjectStore#presignPut} hands out: the URL the uploader PUTs the bytes to, and the pending upload the
 * service later {@linkplain ObjectStore#promote promotes}.
 *
 * @param upload the upload to promote once the uploader says it is done
 * @param url    the presigned PUT URL for the uploader
 */
public record PresignedUpload(PendingUpload upload, PresignedUrl url) {

    public PresignedUpload {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(url, "url");
    }
}
