"""simpy-land-legacy.py — the reference of bench/simulate: the legacy path
of workflows/land-title-transfer.xml written with SimPy 2.3.1's classic
SimPy.Simulation API (Debian's python3-simpy), with the same distributions,
capacities and arrivals as the file's <simulation> block:

  arrivals    Poisson, 8 a working day;
  offices     one-stop desk (2 clerks): submit-dossier, collect-notices,
              collect-certificate; notary desk (2 clerks): notarise;
              services triangular, in minutes, as in the file;
  steps       the legacy variant's durations in working days (triangular
              on min/likely/max, or fixed), the mortgage release when the
              case is mortgaged (probability 0.25), the dossier check
              sending 15 % back to submit-dossier;
  case data   price lognormal (mean 3.2e9, sd 1.5e9), the notarial fee
              and the two taxes computed from it per case.

The clock is working time (8 hours a working day): the reference does not
convert to calendar dates, skip holidays or apply the cut-off, which is
work the C engine does and SimPy is spared; the ratio is therefore, if
anything, in SimPy's favour.

  /usr/bin/python3 simpy-land-legacy.py CASES SEED
prints "cases SECONDS STEP_EVENTS MEAN_LEAD_WORKING_DAYS CPU_SECONDS" on one
line: SECONDS of wall-clock time, CPU_SECONDS of processor time (which the
other programs sharing the machine do not inflate).
"""
import math
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, release, request, simulate, now

DAY = 8.0  # working hours


def tri(rng, lo, mode, hi):
    return rng.triangular(lo, hi, mode)


def notary_fee(p):
    return ((p < 5e7) * 50000 + (5e7 <= p <= 1e8) * 100000 + (1e8 < p <= 1e9) * p * 0.001
            + (1e9 < p <= 3e9) * (1e6 + (p - 1e9) * 0.0006)
            + (3e9 < p <= 5e9) * (2.2e6 + (p - 3e9) * 0.0005)
            + (5e9 < p <= 1e10) * (3.2e6 + (p - 5e9) * 0.0004)
            + (1e10 < p <= 1e11) * (5.2e6 + (p - 1e10) * 0.0003)
            + (1e11 < p <= 2.89e11) * (3.22e7 + (p - 1e11) * 0.0002) + (p > 2.89e11) * 7e7)


class Stats:
    events = 0
    done = 0
    lead = 0.0
    fees = 0.0


class Case(Process):
    def run(self, rng, desk, notary, stats):
        filed = now()
        sigma2 = math.log(1 + (1.5e9 / 3.2e9) ** 2)
        price = rng.lognormvariate(math.log(3.2e9) - sigma2 / 2, math.sqrt(sigma2))
        fees = notary_fee(price) + price * 0.02 + price * 0.005 + 4000 + 20000
        if rng.random() < 0.25:
            yield hold, self, tri(rng, 2, 3, 7) * DAY          # release-mortgage
            stats.events += 1
        yield hold, self, 1 * DAY                                # records-extract
        yield hold, self, tri(rng, 1, 2, 3) * DAY                # civil-status
        stats.events += 2
        yield request, self, notary                              # notarise
        yield hold, self, tri(rng, 30, 45, 90) / 60
        yield release, self, notary
        yield hold, self, 1 * DAY
        stats.events += 1
        while True:
            yield request, self, desk                            # submit-dossier
            yield hold, self, tri(rng, 10, 20, 45) / 60
            yield release, self, desk
            yield hold, self, 1 * DAY
            stats.events += 1
            if rng.random() < 0.85:                              # dossier-check
                break
        yield hold, self, tri(rng, 2, 4, 7) * DAY                # transfer-to-tax
        yield hold, self, tri(rng, 2, 3, 5) * DAY                # tax-assessment
        stats.events += 2
        yield request, self, desk                                # collect-notices
        yield hold, self, tri(rng, 5, 10, 20) / 60
        yield release, self, desk
        yield hold, self, 1 * DAY
        yield hold, self, 1 * DAY                                # pay-taxes
        yield hold, self, 1 * DAY                                # return-receipts
        stats.events += 3
        yield request, self, desk                                # collect-certificate
        yield hold, self, tri(rng, 5, 10, 20) / 60
        yield release, self, desk
        yield hold, self, tri(rng, 3, 5, 10) * DAY
        stats.events += 1
        stats.done += 1
        stats.lead += now() - filed
        stats.fees += fees


class Arrivals(Process):
    def run(self, n, rng, desk, notary, stats):
        for _ in range(n):
            c = Case()
            activate(c, c.run(rng, desk, notary, stats))
            yield hold, self, rng.expovariate(8 / DAY)


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    stats = Stats()
    t0 = time.perf_counter()
    c0 = time.process_time()
    initialize()
    desk = Resource(capacity=2, name="one-stop-desk")
    notary = Resource(capacity=2, name="notary-desk")
    a = Arrivals()
    activate(a, a.run(n, rng, desk, notary, stats))
    simulate(until=1e12)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(stats.done, "%.6f" % elapsed, stats.events, "%.3f" % (stats.lead / max(stats.done, 1) / DAY),
          "%.6f" % cpu)


if __name__ == "__main__":
    main()
