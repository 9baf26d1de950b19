package io.gridledger.gateway.api;

import io.gridledger.storage.ObjectInfo;
import io.gridledger.storage.Sha256;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.validation.validator.Validator;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code multipart/form-data} job submission: first a part named {@code spec} (the JSON job spec, the same
 * schema as a JSON submission), then one part per input to upload, named by the input's {@code name}. Each file part
 * streams straight to the object store (never whole in memory), checked against the spec's {@code sha256} and
 * {@code sizeBytes} where the spec gives them, which are filled in from the bytes where it does not. The spec is
 * validated before any file is read, so a bad spec costs no upload.
 */
@Singleton
final class MultipartSubmissions {

    static final String SPEC_PART = "spec";
    static final int MAX_SPEC_BYTES = 64 * 1024;
    /** Stands for a digest the spec leaves to the file part, while the rest of the spec is validated. */
    private static final String PENDING_SHA256 = "0".repeat(64);

    private final JsonMapper json;
    private final Validator validator;
    private final JobInputs inputs;

    MultipartSubmissions(JsonMapper json, Validator validator, JobInputs inputs) {
        this.json = json;
        this.validator = validator;
        this.inputs = inputs;
    }

    /** The submission the body describes, its file parts stored. */
    JobSubmission read(String contentType, InputStream body) throws IOException {
        var boundary = MultipartReader.boundary(contentType).orElseThrow(() -> ApiException.invalid("Content-Type",
                "multipart/form-data needs a boundary parameter (1 to 70 characters)"));
        var reader = new MultipartReader(body, boundary);
        var first = reader.next().orElseThrow(() -> ApiException.invalid(SPEC_PART,
                "the body has no parts: the first part is the job spec (JSON), named \"spec\""));
        if (!first.name().equals(SPEC_PART)) {
            throw ApiException.invalid(SPEC_PART, "the first part must be the job spec (JSON) named \"spec\", before "
                    + "any file; it is \"" + first.name() + "\"");
        }
        byte[] specBytes = first.content().readNBytes(MAX_SPEC_BYTES + 1);
        if (specBytes.length > MAX_SPEC_BYTES) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, new ApiError("PAYLOAD_TOO_LARGE",
                    "the spec part is larger than " + MAX_SPEC_BYTES + " bytes",
                    List.of(new ApiError.Detail(SPEC_PART, "at most " + MAX_SPEC_BYTES + " bytes"))), null);
        }
        var spec = parse(specBytes);
        var declared = spec.inputs() == null ? List.<JobSubmission.Input>of() : spec.inputs();
        validate(spec.withInputs(spec.inputs() == null ? null : declared.stream().map(MultipartSubmissions::pending).toList()));

        var byName = new HashMap<String, Integer>();
        for (int i = 0; i < declared.size(); i++) {
            if (byName.putIfAbsent(declared.get(i).name(), i) != null) {
                throw ApiException.invalid("inputs[" + i + "].name", "\"" + declared.get(i).name() + "\" is listed twice");
            }
        }
        Map<Integer, ObjectInfo> uploaded = new HashMap<>();
        for (var part = reader.next(); part.isPresent(); part = reader.next()) {
            var name = part.get().name();
            var index = byName.get(name);
            if (index == null) {
                throw ApiException.invalid("parts." + name, "no input of the spec is named \"" + name
                        + "\": a file part is named by the input it carries");
            }
            if (uploaded.containsKey(index)) {
                throw ApiException.invalid("parts." + name, "sent twice");
            }
            var input = declared.get(index);
            uploaded.put(index, inputs.store(part.get().content(), "inputs[" + index + "]",
                    Optional.ofNullable(input.sha256()).map(Sha256::parse), Optional.ofNullable(input.sizeBytes())));
        }

        var complete = new ArrayList<JobSubmission.Input>();
        for (int i = 0; i < declared.size(); i++) {
            var input = declared.get(i);
            var stored = uploaded.get(i);
            if (stored == null && (input.sha256() == null || input.sizeBytes() == null)) {
                throw ApiException.invalid("inputs[" + i + "]." + (input.sha256() == null ? "sha256" : "sizeBytes"),
                        "must be given unless the file is sent as the part \"" + input.name() + "\"");
            }
            complete.add(stored == null ? input : new JobSubmission.Input(input.name(), stored.sha256().hex(), stored.size()));
        }
        return spec.withInputs(spec.inputs() == null ? null : complete);
    }

    private JobSubmission parse(byte[] bytes) {
        JobSubmission spec;
        try {
            spec = json.readValue(bytes, Argument.of(JobSubmission.class));
        } catch (IOException e) {
            throw ApiException.invalid(SPEC_PART, "not a JSON job spec: " + ApiErrorHandlers.Processor.clean(e.getMessage()));
        }
        if (spec == null) {
            throw ApiException.invalid(SPEC_PART, "the spec part is empty");
        }
        return spec;
    }

    private void validate(JobSubmission submission) {
        var violations = validator.validate(submission);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    private static JobSubmission.Input pending(JobSubmission.Input input) {
        if (input == null) {
            return null;
        }
        return new JobSubmission.Input(input.name(), input.sha256() == null ? PENDING_SHA256 : input.sha256(),
                input.sizeBytes() == null ? 0L : input.sizeBytes());
    }
}
