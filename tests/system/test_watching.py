"""Issue 10 over HTTP against the whole store: the playback URL is the customer's own, short-lived and
checked on every media request (playlists and segments, with ranges); outside the paid window → 403."""
import time
import unittest
import uuid

from harness import Browser, Store, customer, mauser_id, top_up

STORE = None


def setUpModule():
    global STORE
    STORE = Store(media=True).start()


def tearDownModule():
    STORE.stop()


def rent_now(b, premiere, period=12):
    status, body, _ = b.post("/api/v1/rent/", {"id": premiere, "period": period},
                             headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 200, body
    _, rentals, _ = b.get("/api/v1/rentals")
    return next(r for r in rentals["items"] if r["order_id"] == body["id"])


class Watching(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.owner = customer(STORE, "Владелица")
        top_up(cls.owner, 2000)
        cls.premiere = mauser_id(cls.owner)
        cls.rental = rent_now(cls.owner, cls.premiere)

    def playback(self):
        status, body, headers = self.owner.get(f"/api/v1/rentals/{self.rental['id']}/playback")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("cache-control"), "no-store")
        return body

    def test_the_url_is_short_lived_and_bound_to_the_rental(self):
        p = self.playback()
        self.assertEqual(p["premiere_id"], self.premiere)
        self.assertIn(p["token"], p["url"])
        left = time.mktime(time.strptime(p["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime())
        self.assertTrue(0 < left <= 300, left)  # within 5 minutes (the test store uses 8 s)

    def test_someone_elses_rental_is_not_found(self):
        other = customer(STORE, "Соседка")
        status, body, _ = other.get(f"/api/v1/rentals/{self.rental['id']}/playback")
        self.assertEqual(status, 404, body)
        self.assertEqual(body["status"], 404)

    def test_every_media_request_checks_the_signature_and_serves_ranges(self):
        p = self.playback()
        status, playlist, _ = self.owner.get(p["url"], headers={"Accept": "*/*"})
        self.assertEqual(status, 200)
        self.assertIn("#EXTM3U", playlist)
        base = p["url"].rsplit("/", 1)[0]
        status, _, headers = self.owner.get(base + "/v1/seg_000.ts", headers={"Range": "bytes=0-187"})
        self.assertEqual(status, 206)
        self.assertEqual(headers["content-length"], "188")
        self.assertTrue(headers["content-range"].startswith("bytes 0-187/"))
        status, _, _ = self.owner.get(base + "/v1/seg_000.ts", headers={"Range": "bytes=999999999-"})
        self.assertEqual(status, 416)
        # A tampered signature, another premiere under the same token, and a path out of the screening.
        token = p["token"]
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        for path in (p["url"].replace(token, forged),
                     p["url"].replace(f"/{self.premiere}/", f"/{self.premiere + 1}/"),
                     f"{base}/../../../etc/passwd", f"{base}/%2e%2e/%2e%2e/etc/passwd"):
            status, body, _ = self.owner.get(path, headers={"Accept": "*/*"})
            self.assertIn(status, (403, 404), (path, status, body))
            self.assertNotIn("root:", str(body))
        # The media URL needs no cookie (it is the capability, as a CDN would check it).
        anonymous = Browser(STORE)
        status, _, _ = anonymous.get(p["url"], headers={"Accept": "*/*"})
        self.assertEqual(status, 200)

    def test_an_expired_url_is_refused_and_a_fresh_one_works(self):
        p = self.playback()
        expires = time.mktime(time.strptime(p["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime())
        self.assertLessEqual(expires, 10, "the test store signs 8-second URLs")
        time.sleep(max(0, expires) + 1.5)
        status, body, _ = self.owner.get(p["url"], headers={"Accept": "*/*"})
        self.assertEqual(status, 403, body)
        self.assertEqual(body["status"], 403)
        fresh = self.playback()
        status, _, _ = self.owner.get(fresh["url"], headers={"Accept": "*/*"})
        self.assertEqual(status, 200)

    def test_before_the_start_and_after_a_cancel_the_api_refuses_with_the_reason(self):
        b = customer(STORE, "Планирующая")
        top_up(b, 2000)
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        status, body, _ = b.post("/api/v1/rent/", {"id": self.premiere, "period": 24, "starts_at": start},
                                 headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200, body)
        _, rentals, _ = b.get("/api/v1/rentals")
        rental = next(r for r in rentals["items"] if r["order_id"] == body["id"])
        status, problem, _ = b.get(f"/api/v1/rentals/{rental['id']}/playback")
        self.assertEqual(status, 403)
        self.assertEqual(problem["starts_at"], start)
        self.assertIn("ещё не начался", problem["detail"])
        status, _, _ = b.post(f"/api/v1/rentals/{rental['id']}/cancel")
        self.assertEqual(status, 200)
        status, problem, _ = b.get(f"/api/v1/rentals/{rental['id']}/playback")
        self.assertEqual(status, 403)
        self.assertEqual(problem["title"], "Аренда отменена")
        self.assertEqual(problem["premiere_id"], self.premiere)


if __name__ == "__main__":
    unittest.main()
