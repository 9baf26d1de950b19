package io.gridledger.agent.runtime;

/** The runtime contract on Podman's Docker-compatible socket. */
class PodmanRuntimeTest extends ContainerRuntimeContract {

    @Override
    String engine() {
        return "podman";
    }
}
