package io.gridledger.agent.runtime;

/** The runtime contract on dockerd. */
class DockerRuntimeTest extends ContainerRuntimeContract {

    @Override
    String engine() {
        return "docker";
    }
}
