"""Issue 11, scenarios 4 and 5: NATS stopped under purchase load, then started; PostgreSQL stopped
(`immediate`, as a crash) in the middle of purchases, then started. Afterwards the global invariant holds
(harness.check_invariant) and every paid purchase produced exactly one confirmation email.
The outages last OUTAGE_SECONDS (10 here; `make soak` runs them for 60)."""
import os
import threading
import time
import unittest

from harness import (Store, check_invariant, customer, every_paid_purchase_has_one_email, mauser_id, soon, sql,
                     top_up, wait_for)

STORE = None
OUTAGE = float(os.environ.get("OUTAGE_SECONDS", "10"))


def setUpModule():
    global STORE
    STORE = Store(durable=True).start()  # a crash may only lose what was never committed


def tearDownModule():
    STORE.stop()


def buy_under_load(buyers, pid, seconds, results):
    """Each buyer purchases in a loop for `seconds`, retrying 503s the way the SPA does (same key)."""
    stop = time.time() + seconds

    def loop(b):
        n = 0
        while time.time() < stop:
            key = f"{id(b)}-{n}"
            body = {"id": pid, "period": 24, "starts_at": soon(3)}  # a retry sends the same body again
            status = None
            for _ in range(int(OUTAGE / 0.3) + 100):  # retry for longer than the outage lasts
                try:
                    status = b.post("/api/v1/rent/", body, headers={"Idempotency-Key": key})[0]
                except OSError:
                    status = 0
                if status not in (0, 502, 503, 504):
                    break
                time.sleep(0.3)
            results.append(status)
            n += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=loop, args=(b,)) for b in buyers]
    for t in threads:
        t.start()
    return threads


def shoppers(name):
    """Three customers with enough money for the whole outage, and the premiere they will keep buying."""
    buyers = [customer(STORE, f"{name}{i}") for i in range(3)]
    for b in buyers:
        top_up(b, min(1_000_000, int(20_000 * (OUTAGE + 10))))
    return buyers, mauser_id(buyers[0])


class Outages(unittest.TestCase):
    def test_nats_down_under_purchase_load_then_back(self):
        buyers, pid = shoppers("Натс")
        results = []
        threads = buy_under_load(buyers, pid, OUTAGE + 4, results)
        time.sleep(1)
        STORE.nats.stop()
        time.sleep(OUTAGE / 2)
        # Purchases go on without NATS: the events wait in the outboxes.
        waiting = int(sql(STORE, "premieres", "SELECT count(*) FROM outbox WHERE published_at IS NULL"))
        self.assertGreater(waiting, 0)
        time.sleep(OUTAGE / 2)
        STORE.nats.start()
        for t in threads:
            t.join()
        self.assertTrue(results and all(s == 200 for s in results), results)
        check_invariant(self, STORE)
        every_paid_purchase_has_one_email(self, STORE, buyers)

    def test_postgres_crashes_mid_purchase_then_comes_back(self):
        buyers, pid = shoppers("Постгрес")
        results = []
        threads = buy_under_load(buyers, pid, OUTAGE + 6, results)
        time.sleep(1.5)
        STORE.pg.stop("immediate")
        time.sleep(OUTAGE)
        STORE.pg.start()
        for t in threads:
            t.join()
        # Every purchase ends paid (200) or, when its order was caught by the crash, is retried with the same
        # key and answered from the order it made (200) — never a 500, never twice.
        self.assertTrue(results and all(s == 200 for s in results), results)
        wait_for(lambda: sql(STORE, "premieres", "SELECT count(*) FROM orders WHERE status = 'pending_payment' "
                                          "AND confirm_started_at IS NOT NULL") == "0", 60)
        check_invariant(self, STORE)
        every_paid_purchase_has_one_email(self, STORE, buyers)
        for s in ("identity", "premieres", "billing", "notifications", "gateway"):
            self.assertIsNone(STORE.procs[s].poll(), f"{s} is still running")


if __name__ == "__main__":
    unittest.main()
