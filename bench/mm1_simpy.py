#!/usr/bin/python3
"""M/M/1 in SimPy 3, the reference for `rxlab bench mm1` (same model: lambda=0.9, mu=1,
N customers, mean time in queue before service; theory 9.0).

Run with Debian's interpreter (apt: python3-simpy3), not a pyenv python:
    /usr/bin/python3 bench/mm1_simpy.py 1000000 [SEED]
Prints one JSON line {"customers","wall_s","mean_wait","cpu_s"}; wall_s and cpu_s (process CPU
time) cover building the model and env.run() only (not interpreter start), like rxlab's and the
C baseline's figures.
The idiomatic SimPy formulation is used on purpose (a Resource and a process per customer):
that is what a modeller would write, and what the speed comparison is about.
"""
import json
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.stderr.write("mm1_simpy.py: SimPy 3 is missing; install it with `apt-get install -y python3-simpy3` "
                     "and run with /usr/bin/python3\n")
    sys.exit(3)


def main() -> int:
    if len(sys.argv) < 2:
        sys.stderr.write("usage: mm1_simpy.py CUSTOMERS [SEED]\n")
        return 2
    customers = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    lam, mu = 0.9, 1.0

    t0 = time.perf_counter()
    c0 = time.process_time()
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    arr_rng = random.Random(seed * 2 + 1)
    svc_rng = random.Random(seed * 2 + 2)
    wait_sum = 0.0

    def customer():
        nonlocal wait_sum
        arrived = env.now
        with server.request() as req:
            yield req
            wait_sum += env.now - arrived
            yield env.timeout(svc_rng.expovariate(mu))

    def source():
        for _ in range(customers):
            yield env.timeout(arr_rng.expovariate(lam))
            env.process(customer())

    env.process(source())
    env.run()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"customers": customers, "wall_s": wall, "mean_wait": wait_sum / customers, "cpu_s": cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
