/*
 * A latency-sensitive loop for ci/benchmarks/scheduler.sh: a request is due every INTERVAL_US
 * (an open-loop schedule: due times do not move when the loop falls behind), each request is
 * WORK_US of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID, so a throttled or preempted request
 * takes longer in wall time but not in work), for DURATION_MS of wall time.
 *
 * Output, one line each:
 *   S <requests due> <requests served>
 *   L <latency us> <service us>   per served request: latency = finish - due, service = finish - start
 *   U <age us>                    per request due but not started when the time was up: its age then
 *
 * Usage: latency_loop INTERVAL_US WORK_US DURATION_MS
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s INTERVAL_US WORK_US DURATION_MS\n", argv[0]);
        return 2;
    }
    long long interval = atoll(argv[1]) * 1000LL;
    long long work = atoll(argv[2]) * 1000LL;
    long long duration = atoll(argv[3]) * 1000000LL;
    if (interval <= 0 || work <= 0 || duration <= 0) {
        fprintf(stderr, "INTERVAL_US, WORK_US and DURATION_MS must be positive\n");
        return 2;
    }
    long n = (long) (duration / interval);
    long long *latency = malloc(sizeof(long long) * n);
    long long *service = malloc(sizeof(long long) * n);
    if (latency == NULL || service == NULL) return 3;

    long long t0 = ns(CLOCK_MONOTONIC);
    long long end = t0 + duration;
    long k;
    for (k = 0; k < n; k++) {
        long long due = t0 + k * interval;
        long long now = ns(CLOCK_MONOTONIC);
        if (now >= end) break;
        if (now < due) {
            struct timespec at = {due / 1000000000LL, due % 1000000000LL};
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0) {
            }
        }
        long long start = ns(CLOCK_MONOTONIC);
        long long cpu0 = ns(CLOCK_THREAD_CPUTIME_ID);
        while (ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 < work) {
        }
        long long finish = ns(CLOCK_MONOTONIC);
        latency[k] = finish - due;
        service[k] = finish - start;
    }
    long long stop = ns(CLOCK_MONOTONIC);

    printf("S %ld %ld\n", n, k);
    for (long i = 0; i < k; i++) printf("L %lld %lld\n", latency[i] / 1000, service[i] / 1000);
    for (long i = k; i < n; i++) printf("U %lld\n", (stop - (t0 + i * interval)) / 1000);
    return 0;
}
