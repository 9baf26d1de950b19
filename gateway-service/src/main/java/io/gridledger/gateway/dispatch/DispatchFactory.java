package io.gridledger.gateway.dispatch;

import io.micronaut.context.annotation.Factory;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.nio.file.Path;

@Factory
final class DispatchFactory {

    @Singleton
    CheckpointStore checkpointStore(DispatchSettings settings, JsonMapper json) {
        return new FileCheckpointStore(Path.of(settings.checkpointFile()), json);
    }
}
