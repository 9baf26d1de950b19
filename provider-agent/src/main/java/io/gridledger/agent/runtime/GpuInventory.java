package io.gridledger.agent.runtime;

/**
 * The GPUs this node can pass to containers: the runtime refuses a job that asks for more, with {@link #describe()}
 * saying why, instead of letting the engine fail obscurely.
 */
public interface GpuInventory {

    /** How many GPUs can be passed through. */
    int count();

    /** What the node has, for refusals: e.g. "no nvidia-smi on PATH" or "2 x nvidia-a100". */
    String describe();

    /** A node without GPUs. */
    static GpuInventory none(String why) {
        return new GpuInventory() {
            @Override
            public int count() {
                return 0;
            }

            @Override
            public String describe() {
                return why;
            }
        };
    }
}
