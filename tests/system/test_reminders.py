"""Reminders from the premieres scheduler: «starting soon», «window opened», «not started watching» and «ending
soon» each exactly once, even with two scheduler replicas, and none for a cancelled rental. (The harness sets the lead time to 24 hours.) With the
same two replicas: a catalog change reaches both replicas' cached search answers (LISTEN catalog_changed)."""
import datetime
import json
import time
import unittest
import urllib.parse
import urllib.request
import uuid

from harness import Store, customer, mails_to, mauser_id, sql, top_up, wait_for

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()
    STORE.start_replica("premieres", "premieres-2")
    STORE.wait_ready(["premieres-2"])


def tearDownModule():
    STORE.stop()


class Reminders(unittest.TestCase):
    def test_each_reminder_exactly_once_with_two_schedulers(self):
        b = customer(STORE, "Напоминание")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 1000)
        starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
        status, _, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24,
                                                "starts_at": starts.strftime("%Y-%m-%dT%H:%M:%SZ")},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200)
        started = wait_for(lambda: [m for m in mails_to(STORE, email) if "начался" in str(m["Subject"])])
        ending = wait_for(lambda: [m for m in mails_to(STORE, email) if "Скоро закончится" in str(m["Subject"])])
        time.sleep(2)  # several scheduler passes of both replicas later
        started = [m for m in mails_to(STORE, email) if "начался" in str(m["Subject"])]
        ending = [m for m in mails_to(STORE, email) if "Скоро закончится" in str(m["Subject"])]
        self.assertEqual((len(started), len(ending)), (1, 1))
        self.assertIn("/watch/", started[0].get_body(preferencelist=("plain",)).get_content())

    def test_a_window_open_at_purchase_is_announced_by_the_confirmation_alone(self):
        b = customer(STORE, "Сразу")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 1000)
        status, _, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200)
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        paid = wait_for(lambda: [m for m in mails_to(STORE, email) if "оплачена" in str(m["Subject"])])
        self.assertIn(f"/watch/{rental['id']}", paid[0].get_body(preferencelist=("plain",)).get_content())
        wait_for(lambda: [m for m in mails_to(STORE, email) if "Скоро закончится" in str(m["Subject"])])
        time.sleep(2)  # several scheduler passes of both replicas later
        self.assertEqual([m for m in mails_to(STORE, email) if "начался" in str(m["Subject"])], [])

    def rent(self, b, starts=None, period=24):
        body = {"id": mauser_id(b), "period": period}
        if starts:
            body["starts_at"] = starts.strftime("%Y-%m-%dT%H:%M:%SZ")
        status, paid, _ = b.post("/api/v1/rent/", body, headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200, paid)
        return next(r for r in b.get("/api/v1/rentals")[1]["items"] if r["order_id"] == paid["id"])["id"]

    def subjects(self, email, words):
        return [m for m in mails_to(STORE, email) if words in str(m["Subject"])]

    def test_starting_soon_once_and_not_for_a_purchase_inside_the_lead(self):
        b = customer(STORE, "Скоро начало")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 3000)
        now = datetime.datetime.now(datetime.timezone.utc)
        inside = self.rent(b, now + datetime.timedelta(minutes=10))  # bought 10 minutes ahead: its email said when
        ahead = self.rent(b, now + datetime.timedelta(minutes=12))
        sql(STORE, "premieres", f"UPDATE rentals SET created_at = now() - interval '1 hour' WHERE id = {ahead}")
        soon = wait_for(lambda: self.subjects(email, "Скоро начало"))
        time.sleep(2)  # several scheduler passes of both replicas later
        soon = self.subjects(email, "Скоро начало")
        self.assertEqual(len(soon), 1)
        text = soon[0].get_body(preferencelist=("plain",)).get_content()
        self.assertIn(f"/watch/{ahead}", text)
        self.assertNotIn(f"/watch/{inside}", text)
        self.assertIn("List-Unsubscribe", soon[0])  # a reminder: it can be switched off

    def test_not_started_watching_once_past_half_the_window_and_not_after_a_play(self):
        b = customer(STORE, "Не смотрел")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 3000)
        idle, played = self.rent(b), self.rent(b)
        # One statement: a scheduler pass between two would find the played one not yet played.
        sql(STORE, "premieres", f"UPDATE rentals SET starts_at = now() - interval '13 hours', "
                                f"ends_at = now() + interval '11 hours', start_reminded_at = now(), "
                                f"first_played_at = CASE WHEN id = {played} THEN now() END "
                                f"WHERE id IN ({idle}, {played})")
        wait_for(lambda: self.subjects(email, "ещё не начали"))
        time.sleep(2)
        unwatched = self.subjects(email, "ещё не начали")
        self.assertEqual(len(unwatched), 1)
        text = unwatched[0].get_body(preferencelist=("plain",)).get_content()
        self.assertIn(f"/watch/{idle}", text)
        self.assertNotIn(f"/watch/{played}", text)

    def test_no_reminder_for_a_cancelled_rental(self):
        b = customer(STORE, "Отменённое")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 1000)
        starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=4)
        b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 12, "starts_at": starts.strftime("%Y-%m-%dT%H:%M:%SZ")},
               headers={"Idempotency-Key": str(uuid.uuid4())})
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        self.assertEqual(b.post(f"/api/v1/rentals/{rental['id']}/cancel")[0], 200)
        self.assertTrue(wait_for(lambda: [m for m in mails_to(STORE, email) if "отменена" in str(m["Subject"])]))
        time.sleep(max(0.0, (starts - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 2.0)
        self.assertEqual([m for m in mails_to(STORE, email) if "начался" in str(m["Subject"]) or
                          "Скоро закончится" in str(m["Subject"])], [])


class CatalogOnTwoReplicas(unittest.TestCase):
    def search(self, replica, q):
        url = f"http://127.0.0.1:{STORE.ports[replica]}/api/v1/search/?q=" + urllib.parse.quote(q)
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.loads(r.read())

    def metric(self, replica, name):
        with urllib.request.urlopen(f"http://127.0.0.1:{STORE.ports[replica]}/metrics", timeout=10) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        return None

    def following(self, replica):
        return self.metric(replica, "catalog_version_following") == 1

    def test_a_change_reaches_the_cached_answers_of_both_replicas(self):
        replicas = ("premieres", "premieres-2")
        self.assertTrue(wait_for(lambda: all(self.following(r) for r in replicas)), "a replica is not following")
        before = {r: self.search(r, "Маузер")["items"][0] for r in replicas}  # cached on each replica now
        self.assertEqual(before["premieres"]["id"], before["premieres-2"]["id"])
        mauser = before["premieres"]["id"]
        old_price = before["premieres"]["price_online"]
        # A change from outside both replicas (as an admin on a third one would make it).
        STORE.pg.psql(f"UPDATE premieres SET price_online = price_online + 1234 WHERE id = {int(mauser)}",
                      "chance_premieres")
        try:
            for r in replicas:
                seen = wait_for(lambda: self.search(r, "Маузер")["items"][0]["price_online"] != old_price or None)
                self.assertTrue(seen, f"{r} kept serving the old price")
            # Each replica's search index followed the change (ADR 0011) and computed its pages.
            version = int(STORE.pg.psql("SELECT version FROM catalog_version", "chance_premieres").strip())
            for r in replicas:
                self.assertTrue(wait_for(lambda: self.metric(r, "search_index_version") == version or None),
                                f"{r}'s search index did not reach version {version}")
                self.assertGreater(self.metric(r, "search_pages_from_index_total"), 0)
        finally:  # the other tests of the module buy this premiere
            STORE.pg.psql(f"UPDATE premieres SET price_online = price_online - 1234 WHERE id = {int(mauser)}",
                          "chance_premieres")


if __name__ == "__main__":
    unittest.main()
