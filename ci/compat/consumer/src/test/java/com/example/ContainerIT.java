package com.example;

/** The same tests as {@link ContainerTest} (inherited), run by Failsafe. */
class ContainerIT extends ContainerTest {
}
