"""Reminders from the premieres scheduler: «window opened» and «ending soon» each exactly once, even with two
scheduler replicas, and none for a cancelled rental. (The harness sets the lead time to 24 hours.)"""
import datetime
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
    STORE.start_replica("premieres", "premieres-2")
    STORE.wait_ready(["premieres-2"])
    import test_notifications
    import test_purchase
    test_purchase.STORE = STORE
    test_notifications.STORE = STORE


def tearDownModule():
    STORE.stop()


class Reminders(unittest.TestCase):
    def test_each_reminder_exactly_once_with_two_schedulers(self):
        b = customer("Напоминание")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 1000)
        status, _, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200)
        started = wait_for(lambda: [m for m in mails_to(email) if "начался" in str(m["Subject"])])
        ending = wait_for(lambda: [m for m in mails_to(email) if "Скоро закончится" in str(m["Subject"])])
        time.sleep(2)  # several scheduler passes of both replicas later
        started = [m for m in mails_to(email) if "начался" in str(m["Subject"])]
        ending = [m for m in mails_to(email) if "Скоро закончится" in str(m["Subject"])]
        self.assertEqual((len(started), len(ending)), (1, 1))
        self.assertIn("/watch/", started[0].get_body(preferencelist=("plain",)).get_content())

    def test_no_reminder_for_a_cancelled_rental(self):
        b = customer("Отменённое")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 1000)
        starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=4)
        b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 12, "starts_at": starts.strftime("%Y-%m-%dT%H:%M:%SZ")},
               headers={"Idempotency-Key": str(uuid.uuid4())})
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        self.assertEqual(b.post(f"/api/v1/rentals/{rental['id']}/cancel")[0], 200)
        self.assertTrue(wait_for(lambda: [m for m in mails_to(email) if "отменена" in str(m["Subject"])]))
        time.sleep(max(0.0, (starts - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 2.0)
        self.assertEqual([m for m in mails_to(email) if "начался" in str(m["Subject"]) or
                          "Скоро закончится" in str(m["Subject"])], [])


if __name__ == "__main__":
    unittest.main()
