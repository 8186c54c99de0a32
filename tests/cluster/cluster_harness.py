"""The system tests' helpers (tests/system/harness.py) pointed at the store on three hosts (scripts/lib/cluster.py),
and a purchase load that behaves as a customer's browser does under faults: a purchase that got no answer, a 502,
503 or 504 or a 409 (the same key still in flight) is sent again with the same Idempotency-Key."""
import http.client
import os
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
import cluster as clusterlib  # noqa: E402
import harness  # noqa: E402,F401  (re-exported for the tests)
import infra  # noqa: E402

# A load generator is one client address with many customers: the per-address allowances are raised for it, as a
# store would for its own load tests. Deliveries orphaned by a killed host go again after 60 s (300 s in production):
# a claim is a lease that must outlast a failover, since a sender cut off from the database keeps marking what it
# sent until its lease ends (with 20 s, a sender that waited out a cut-off primary lost its lease and the message
# went out twice).
LOAD_ENV = {"CHANCE_API_RATE": "100000", "CHANCE_API_BURST": "100000", "CHANCE_REGISTER_RATE": "100000",
            "CHANCE_REGISTER_BURST": "100000", "CHANCE_DELIVERY_UNSTICK_SECONDS": "60"}


class _Psql:
    def __init__(self, c):
        self.c = c

    def psql(self, sql, db="postgres"):
        return self.c.psql(sql, db)


class _Smtp:
    def __init__(self, maildir):
        self.maildir = maildir


class ClusterStore:
    """What harness.Browser, customer(), top_up(), check_invariant() and the email check need of a store."""

    def __init__(self, preset=None, prefix="cvt", subnet="127.0.3"):
        preset = preset or os.environ.get("CHANCE_PRESET", "dev")
        port = infra.free_port()
        self.cluster = clusterlib.Cluster(prefix=prefix, subnet=subnet, public_port=port, stats_port=infra.free_port(),
                                          mailbox_port=0, preset=preset, log_level="warn", seed="demo",
                                          state=f"/var/tmp/{prefix}-cluster",
                                          log_dir=os.path.join(ROOT, "var", "cluster-test", "log"),
                                          say=lambda m: print(f"[cluster] {m}", flush=True), service_env=LOAD_ENV)
        self.ports = {"gateway": port}
        self.origin = self.cluster.origin
        self.pg = _Psql(self.cluster)
        self.smtp = None

    def start(self):
        self.cluster.start()
        self.smtp = _Smtp(self.cluster.smtp.maildir)
        return self

    def stop(self):
        self.cluster.stop()


class Purchases:
    """Customers buying in threads until stopped. Every purchase is (first sent, answered, status, order id); one
    that got no final answer within `give_up` seconds keeps its last status."""

    RETRY = {None, 409, 502, 503, 504}

    def __init__(self, buyers, premiere_id, give_up=90.0, pause=0.05):
        self.buyers, self.pid, self.give_up, self.pause = buyers, premiere_id, give_up, pause
        self.results = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(b,), daemon=True) for b in buyers]

    def _post(self, b, body, key):
        try:
            return b.post("/api/v1/rent/", body, headers={"Idempotency-Key": key})
        except (OSError, http.client.HTTPException):
            return None, None, {}

    def _run(self, b):
        while not self.stopping.is_set():
            key = str(uuid.uuid4())
            body = {"id": self.pid, "period": 24, "starts_at": harness.soon(3)}
            first = time.time()
            status, answer = None, None
            while True:
                status, answer, _ = self._post(b, body, key)
                if status not in self.RETRY or time.time() - first > self.give_up:
                    break
                time.sleep(0.2)
            order = answer.get("id") if status == 200 and isinstance(answer, dict) else None
            with self.lock:
                self.results.append((first, time.time(), status, order))
            time.sleep(self.pause)

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join()
        return self.results

    def first_success_after(self, t):
        """When the first purchase sent at or after t was answered 200, or None."""
        with self.lock:
            done = [r[1] for r in self.results if r[0] >= t and r[2] == 200]
        return min(done) if done else None

    def succeeded(self):
        with self.lock:
            return sum(1 for r in self.results if r[2] == 200)


def wait_for_success_after(load, t, seconds=90):
    end = time.time() + seconds
    while time.time() < end:
        done = load.first_success_after(t)
        if done:
            return done - t
        time.sleep(0.05)
    return None
