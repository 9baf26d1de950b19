package io.gridledger.agent.exchange;

import io.gridledger.agent.JobKey;
import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.InputsResponse;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.OutputsResponse;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.ReplicaResult;

/**
 * The node exchange with a job's client org (gateway-service/NODE-EXCHANGE.md) as the agent uses it: where its
 * inputs are, where its outputs go, and where its progress is told. Every call is for one replica attempt of a job of
 * {@code clientOrg}; the adapter signs each request with the node's identity. Failures are
 * {@link ExchangeException}s carrying the protocol's code.
 */
public interface JobExchange {

    /** The job's inputs with a presigned GET URL each. */
    InputsResponse inputs(String clientOrg, JobKey job) throws ExchangeException;

    /** Declares the outputs; answers a presigned PUT URL for each object the client org's store lacks. */
    OutputsResponse declareOutputs(String clientOrg, JobKey job, OutputsRequest outputs) throws ExchangeException;

    /** The uploads are done: the gateway checks and records the replica's result. */
    ReplicaResult complete(String clientOrg, JobKey job, CompleteRequest complete) throws ExchangeException;

    /** One step of the run, for the client to follow. */
    void progress(String clientOrg, JobKey job, ProgressRequest progress) throws ExchangeException;
}
