package io.alicecontainer.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.ResourceBudget;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A memory budget on a realistic workload: index a generated CSV of 400,000 orders by id, in a
 * container limited to 512 MiB, and fail the test when its own peak memory passes 192 MiB (the
 * whole container's, child JVM included, is ~135 MiB here) or the work takes more than 3 s of CPU
 * (~0.7 s here).
 *
 * <p>{@code @MemoryLimit} is the hard wall: past it the kernel's OOM killer ends the test. The
 * {@code @ResourceBudget} is the figure you want to keep; over it the test fails with the
 * measured value, e.g. "resource budget exceeded: memory peak 201.2 MiB is over the budget of
 * 192.0 MiB". What counts:
 * <ul>
 *   <li>{@code memoryPeak} is the test's own peak ({@code alice.memory.test.peak.bytes}): what the
 *       container's memory grew by from the test's start — heap the test fills (by default at most
 *       a quarter of the limit, here 128 MiB) and files in the container's private {@code /tmp}, a
 *       tmpfs (the CSV written below lives there); the child JVM's own ~40-85 MiB do not count
 *       ({@code alice.memory.peak.bytes} is the container's, with them);</li>
 *   <li>{@code cpuTime} counts only the test itself, not the child JVM's start;</li>
 *   <li>{@code memoryStall} is the time the container's tasks waited for memory (reclaim): far
 *       below its limit, there should be none.</li>
 * </ul>
 */
@DisplayName("Memory budget: indexing a CSV of orders stays under 192 MiB")
class MemoryBudgetTests {
    private static final int ORDERS = 400_000;
    private static final int CUSTOMERS = 1_000;

    record Order(long id, String customer, long cents) {
    }

    @Test
    @MemoryLimit("512M")
    @ResourceBudget(memoryPeak = "192M", cpuTime = "3s", memoryStall = "200ms")
    @DisplayName("a 400,000-row CSV is parsed into an index by id within the budget")
    void indexesOrdersWithinBudget(@TempDir Path tmp) throws IOException {
        Path csv = writeOrders(tmp.resolve("orders.csv"));

        Map<Long, Order> byId = index(csv);

        assertThat(byId).hasSize(ORDERS);
        assertThat(byId.get(4_242L)).isEqualTo(new Order(4_242, "customer-242", 4_242 % 9_973));
        assertThat(byId.values().stream().map(Order::customer).distinct().count()).isEqualTo(CUSTOMERS);
    }

    private static Path writeOrders(Path csv) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("id,customer,cents\n");
            for (long id = 0; id < ORDERS; id++) {
                out.write(id + ",customer-" + id % CUSTOMERS + "," + id % 9_973 + "\n");
            }
        }
        return csv;
    }

    private static Map<Long, Order> index(Path csv) throws IOException {
        Map<Long, Order> byId = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            in.readLine(); // header
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                Order order = new Order(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]));
                byId.put(order.id(), order);
            }
        }
        return byId;
    }
}
