package io.gridledger.agent;

import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.ErrorBody;
import io.gridledger.exchange.InputsResponse;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.OutputsResponse;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.ReplicaResult;
import io.micronaut.runtime.Micronaut;
import io.micronaut.serde.annotation.SerdeImport;

/**
 * The provider agent: {@code java -jar gridledger-agent.jar} with {@code gridledger.fabric.*} and
 * {@code gridledger.agent.*} configured (provider-agent/README.md). The node exchange's bodies are plain records of
 * the {@code node-exchange} library, imported for serialization here.
 */
@SerdeImport(InputsResponse.class)
@SerdeImport(InputsResponse.InputGrant.class)
@SerdeImport(OutputsRequest.class)
@SerdeImport(OutputsRequest.OutputFile.class)
@SerdeImport(OutputsRequest.LogFile.class)
@SerdeImport(OutputsResponse.class)
@SerdeImport(OutputsResponse.UploadGrant.class)
@SerdeImport(CompleteRequest.class)
@SerdeImport(ReplicaResult.class)
@SerdeImport(ProgressRequest.class)
@SerdeImport(ErrorBody.class)
@SerdeImport(ErrorBody.Detail.class)
public final class AgentApplication {

    private AgentApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(AgentApplication.class, args);
    }
}
