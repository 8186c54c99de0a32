"""Notification faults: the SMTP server down under load (retries, nothing lost, each email once when it is
back) and two notification replicas sharing the queue (each message delivered once)."""
import time
import unittest
import uuid

from harness import Store
from test_notifications import mails_to, wait_for
from test_purchase import customer, mauser_id, soon, top_up

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()
    STORE.start_replica("notifications", "notifications-2")
    STORE.wait_ready(["notifications-2"])
    import test_notifications
    import test_purchase
    test_purchase.STORE = STORE
    test_notifications.STORE = STORE


def tearDownModule():
    STORE.stop()


class DeliveryFaults(unittest.TestCase):
    def test_smtp_down_then_back_delivers_every_email_once(self):
        buyers = [customer(f"Почта{i}") for i in range(4)]
        emails = [b.get("/api/v1/me")[1]["email"] for b in buyers]
        for b in buyers:
            top_up(b, 1000)
        wait_for(lambda: all(mails_to(e) for e in emails))
        STORE.smtp.stop()
        for b in buyers:  # purchases while the SMTP server is away
            status, _, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24, "starts_at": soon(5)},
                                  headers={"Idempotency-Key": str(uuid.uuid4())})
            self.assertEqual(status, 200)
        time.sleep(3)  # several delivery attempts fail meanwhile
        failing = STORE.pg.psql("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts > 0",
                                "chance_notifications")
        self.assertGreater(int(failing), 0)
        STORE.smtp.start()

        def purchases():
            got = [[m for m in mails_to(e) if "оплачена" in str(m["Subject"])] for e in emails]
            return got if all(got) else None
        got = wait_for(purchases, 60)
        self.assertIsNotNone(got)
        time.sleep(2)
        self.assertEqual([len([m for m in mails_to(e) if "оплачена" in str(m["Subject"])]) for e in emails], [1] * 4)

    def test_two_replicas_deliver_each_message_once(self):
        buyers = [customer(f"Реплика{i}") for i in range(6)]
        emails = [b.get("/api/v1/me")[1]["email"] for b in buyers]
        for b in buyers:
            top_up(b, 100)
        self.assertTrue(wait_for(lambda: all(mails_to(e) for e in emails), 30))
        time.sleep(2)
        self.assertEqual([len(mails_to(e)) for e in emails], [1] * 6)
        handled = STORE.pg.psql("SELECT count(DISTINCT message_id) = count(*) FROM inbox", "chance_notifications")
        self.assertEqual(handled, "t")


if __name__ == "__main__":
    unittest.main()
