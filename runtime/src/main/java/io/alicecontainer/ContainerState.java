package io.alicecontainer;

/** Where a {@link Container} is in its life: created → running ⇄ paused → stopped. */
public enum ContainerState {
    /** The cgroup exists with its limits; nothing runs yet. */
    CREATED,
    /** Commands can be executed. */
    RUNNING,
    /** Every process inside is frozen. */
    PAUSED,
    /** Every process inside has been killed; the container cannot run commands any more. */
    STOPPED
}
