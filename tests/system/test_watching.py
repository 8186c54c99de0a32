"""Issue 10 over HTTP against the whole store: the playback URL is the customer's own, short-lived and
checked on every media request (playlists and segments, with ranges); outside the paid window → 403. And playback
sessions (ADR 0025): one stream per rental (a second device ends the first, which is told), the position resumed on
any device, the first play recorded from the segments served. When the store fails to play (ADR 0026): a rental
whose screening's own files could not be served and that never played is refunded once at its window's end; a
customer's problem report is refunded or closed by staff with one action."""
import concurrent.futures
import os
import shutil
import time
import unittest
import uuid

from harness import MEDIA_CACHE, Browser, Store, customer, mails_to, mauser_id, sql, top_up, wait_for

PASSWORD = "надёжный-пароль-2026"  # harness.customer's

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
        status, body, headers = self.owner.post(f"/api/v1/rentals/{self.rental['id']}/playback")
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
        mine = self.playback()
        for method, path, body in (("POST", "", None), ("GET", f"?session={mine['session']}", None),
                                   ("POST", "/beacon", {"session": mine["session"], "position": 5})):
            status, body, _ = other.request(method, f"/api/v1/rentals/{self.rental['id']}/playback{path}", body)
            self.assertEqual(status, 404, (method, path, body))
            self.assertEqual(body["status"], 404)
        # Nothing of the owner's stream changed: it is still live, at no position.
        self.assertEqual(self.owner.get(f"/api/v1/rentals/{self.rental['id']}/playback?session={mine['session']}")[0],
                         200)
        self.assertEqual(sql(STORE, "premieres", f"SELECT coalesce(position, -1) FROM playback_sessions "
                                                 f"WHERE id = '{mine['session']}'"), "-1")

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
        status, problem, _ = b.post(f"/api/v1/rentals/{rental['id']}/playback")
        self.assertEqual(status, 403)
        self.assertEqual(problem["starts_at"], start)
        self.assertEqual(b.get(f"/api/v1/rentals/{rental['id']}/playback")[0], 403)
        self.assertIn("ещё не начался", problem["detail"])
        status, _, _ = b.post(f"/api/v1/rentals/{rental['id']}/cancel")
        self.assertEqual(status, 200)
        status, problem, _ = b.post(f"/api/v1/rentals/{rental['id']}/playback")
        self.assertEqual(status, 403)
        self.assertEqual(problem["title"], "Аренда отменена")
        self.assertEqual(problem["premiere_id"], self.premiere)


class Streams(unittest.TestCase):
    """One stream per rental, resume on any device, plays recorded (ADR 0025)."""

    def setUp(self):
        self.phone = customer(STORE, "Зритель")
        self.email = self.phone.get("/api/v1/me")[1]["email"]
        top_up(self.phone, 2000)
        self.rental = rent_now(self.phone, mauser_id(self.phone))
        self.path = f"/api/v1/rentals/{self.rental['id']}/playback"
        self.tv = Browser(STORE)
        self.tv.login(self.email, PASSWORD)

    def start(self, b):
        status, body, _ = b.post(self.path)
        self.assertEqual(status, 200, body)
        self.assertEqual(len(body["session"]), 22)
        return body

    def segment(self, b, p):
        return b.get(p["url"].replace("master.m3u8", "v1/seg_000.ts"), headers={"Accept": "*/*"})

    def test_a_second_device_ends_the_first_which_is_told(self):
        on_phone = self.start(self.phone)
        self.assertFalse(on_phone["took_over"])
        self.assertEqual(self.segment(self.phone, on_phone)[0], 200)
        on_tv = self.start(self.tv)
        self.assertTrue(on_tv["took_over"])
        # The phone's next segment, its URL's renewal and its beacon each say the stream went elsewhere.
        status, body, _ = self.segment(self.phone, on_phone)
        self.assertEqual((status, body["type"].rsplit("/", 1)[-1]), (403, "playback-taken-over"))
        status, body, _ = self.phone.get(f"{self.path}?session={on_phone['session']}")
        self.assertEqual((status, body["title"]), (409, "Просмотр продолжен на другом устройстве"))
        status, body, _ = self.phone.post(self.path + "/beacon", {"session": on_phone["session"], "position": 30})
        self.assertEqual((status, body["type"].rsplit("/", 1)[-1]), (409, "playback-taken-over"))
        self.assertEqual(self.segment(self.tv, on_tv)[0], 200)
        # «Смотреть здесь» on the phone takes it back.
        again = self.start(self.phone)
        self.assertTrue(again["took_over"])
        self.assertEqual(self.tv.get(f"{self.path}?session={on_tv['session']}")[0], 409)
        renewed = self.phone.get(f"{self.path}?session={again['session']}")
        self.assertEqual(renewed[0], 200)
        self.assertEqual(renewed[1]["session"], again["session"])
        self.assertEqual(sql(STORE, "premieres", f"SELECT count(*) FILTER (WHERE ended_at IS NULL) || '/' || count(*) "
                                                 f"FROM playback_sessions WHERE rental_id = {self.rental['id']}"), "1/3")

    def test_two_starts_at_once_leave_one_live_stream(self):
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            started = list(pool.map(lambda b: b.post(self.path)[0], (self.phone, self.tv)))
        self.assertEqual(started, [200, 200])
        self.assertEqual(sql(STORE, "premieres", f"SELECT count(*) FROM playback_sessions "
                                                 f"WHERE rental_id = {self.rental['id']} AND ended_at IS NULL"), "1")

    def test_the_position_is_resumed_on_any_device_and_only_the_live_stream_moves_it(self):
        on_phone = self.start(self.phone)
        self.assertEqual(on_phone["resume_at"], 0)
        self.assertEqual(self.phone.post(self.path + "/beacon", {"session": on_phone["session"], "position": 42})[0],
                         204)
        on_tv = self.start(self.tv)
        self.assertEqual(on_tv["resume_at"], 42)
        # The phone's stale beacon is refused and moves nothing.
        self.assertEqual(self.phone.post(self.path + "/beacon", {"session": on_phone["session"], "position": 99})[0],
                         409)
        self.assertEqual(self.tv.post(self.path + "/beacon", {"session": on_tv["session"], "position": 57,
                                                              "error": "hls: fragLoadError"})[0], 204)
        self.assertEqual(self.start(self.phone)["resume_at"], 57)
        row = sql(STORE, "premieres", f"SELECT errors || ' ' || last_error FROM playback_sessions "
                                      f"WHERE id = '{on_tv['session']}'")
        self.assertEqual(row, "1 hls: fragLoadError")
        # The download of the customer's data lists the streams, with their devices and positions.
        sessions = self.phone.get("/api/v1/me/data")[1]["premieres"]["playback"]
        self.assertEqual(sorted(x["position"] or 0 for x in sessions), [0, 57, 99])

    def test_a_segment_served_records_the_first_play_and_a_playlist_does_not(self):
        p = self.start(self.phone)
        self.assertEqual(self.phone.get(p["url"], headers={"Accept": "*/*"})[0], 200)
        self.assertEqual(sql(STORE, "premieres", f"SELECT first_played_at IS NULL FROM rentals "
                                                 f"WHERE id = {self.rental['id']}"), "t")
        self.assertEqual(self.segment(self.phone, p)[0], 200)
        self.assertEqual(sql(STORE, "premieres", f"SELECT (first_played_at IS NOT NULL)::text || "
                                                 f"(SELECT (first_segment_at IS NOT NULL)::text FROM playback_sessions "
                                                 f"WHERE id = '{p['session']}') FROM rentals "
                                                 f"WHERE id = {self.rental['id']}"), "truetrue")

    def test_bad_input_names_its_field_and_changes_nothing(self):
        p = self.start(self.phone)
        for body, field in (({}, "session"), ({"session": "x" * 22, "position": -1}, "position"),
                            ({"session": p["session"], "position": "10"}, "position"),
                            ({"session": "not/a/session/at/all!!", "position": 1}, "session"),
                            ({"session": p["session"], "error": "x" * 201}, "error")):
            status, problem, headers = self.phone.post(self.path + "/beacon", body)
            self.assertEqual((status, [e["field"] for e in problem["errors"]]), (400, [field]), body)
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
        status, problem, _ = self.phone.get(self.path)
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "session"))
        self.assertEqual(self.phone.get(f"{self.path}?session={'A' * 22}")[0], 404)
        self.assertEqual(self.phone.post(self.path + "/beacon", {"session": "A" * 22, "position": 3})[0], 404)
        self.assertEqual(sql(STORE, "premieres", f"SELECT resume_position FROM rentals WHERE id = {self.rental['id']}"),
                         "0")


def admin():
    b = Browser(STORE)
    b.login("admin@chance.local", "admin-password-2026")
    return b


def new_premiere(title):
    slug = "failing-" + uuid.uuid4().hex[:8]
    body = {"slug": slug, "title": title, "theatre": "Театр Наций", "director": "Режиссёр", "age_rating": "12+",
            "duration_minutes": 100, "description_short": "Коротко.", "description_full": "Подробно.",
            "price_theatre": 250000, "price_online": 30000, "base_period_hours": 24,
            "periods": [{"hours": 24, "factor": "1"}], "reservable_from": "2026-01-01T00:00:00Z",
            "reservable_until": "2030-01-01T00:00:00Z", "cast": [{"actor": "Актриса Сбоя", "role": "Нина"}]}
    status, created, _ = admin().post("/api/v1/admin/premieres", body)
    assert status == 201, created
    return created["id"]


class StoreFailures(unittest.TestCase):
    """ADR 0026: the store's failure to play is refunded once, by itself; the customer's trouble by staff."""

    def broken_screening(self, premiere):
        """The premiere's screening with its master playlist only: the variant it names is missing (removed after
        the test: the media folder is shared between runs)."""
        folder = os.path.join(MEDIA_CACHE, str(premiere))
        os.makedirs(folder, exist_ok=False)
        self.addCleanup(shutil.rmtree, folder, True)
        with open(os.path.join(folder, "master.m3u8"), "w") as f:
            f.write("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=70400,RESOLUTION=640x360\nv0/index.m3u8\n")

    def test_a_rental_the_store_could_not_play_is_refunded_once_at_its_end_and_the_email_says_why(self):
        premiere = new_premiere("Сломанная запись " + uuid.uuid4().hex[:4])
        self.broken_screening(premiere)
        b = customer(STORE, "Невезучая")
        email = b.get("/api/v1/me")[1]["email"]
        top_up(b, 1000)
        rental = rent_now(b, premiere, 24)
        watched = rent_now(b, mauser_id(b))
        balance = b.get("/api/v1/billing/amount/")[1]["amount"]
        p = b.post(f"/api/v1/rentals/{rental['id']}/playback")[1]
        self.assertEqual(b.get(p["url"], headers={"Accept": "*/*"})[0], 200)  # the master playlist is there
        variant = p["url"].replace("master.m3u8", "v0/index.m3u8")
        for _ in range(2):  # the player retries; every try is the store's failure
            status, problem, _ = b.get(variant, headers={"Accept": "*/*"})
            self.assertEqual((status, problem["type"].rsplit("/", 1)[-1]), (503, "media-unavailable"))
        # A path the screening does not name is the caller's mistake: a 404, not the store's failure.
        self.assertEqual(b.get(p["url"].replace("master.m3u8", "v9/nothing.ts"), headers={"Accept": "*/*"})[0], 404)
        # Each try counts (the gateway also tries another replica on a 503: at least one count per request).
        self.assertGreaterEqual(int(sql(STORE, "premieres", f"SELECT store_failures FROM playback_sessions "
                                                            f"WHERE id = '{p['session']}'")), 2)
        # A rental that played and had the same kind of failure is not refunded by itself.
        q = b.post(f"/api/v1/rentals/{watched['id']}/playback")[1]
        self.assertEqual(b.get(q["url"].replace("master.m3u8", "v1/seg_000.ts"), headers={"Accept": "*/*"})[0], 200)
        sql(STORE, "premieres", f"UPDATE rentals SET store_failed_at = now() WHERE id = {watched['id']}")

        # Nothing happens while the window is open; at its end the refund comes once, with two schedulers' passes.
        time.sleep(1.0)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], balance)
        sql(STORE, "premieres", f"UPDATE rentals SET starts_at = now() - interval '25 hours', "
                                f"ends_at = now() - interval '1 hour' WHERE id IN ({rental['id']}, {watched['id']})")
        wait_for(lambda: b.get("/api/v1/billing/amount/")[1]["amount"] == balance + 30000)
        mails = wait_for(lambda: [m for m in mails_to(STORE, email) if "Возврат" in str(m["Subject"])])
        time.sleep(1.5)  # more scheduler passes
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], balance + 30000)
        mails = [m for m in mails_to(STORE, email) if "Возврат" in str(m["Subject"])]
        self.assertEqual(len(mails), 1)
        self.assertIn("сбоя на нашей стороне", mails[0].get_body(preferencelist=("plain",)).get_content())
        self.assertEqual(sql(STORE, "premieres", f"SELECT count(*) FROM rental_events WHERE type = 'staff_refund' "
                                                 f"AND rental_id IN ({rental['id']}, {watched['id']})"), "1")
        # «Мои заказы» shows it with a receipt, as any refund of the store's.
        order = next(o for o in b.get("/api/v1/orders")[1]["items"] if o["id"] == rental["order_id"])
        movement = order["movements"][-1]
        self.assertEqual((movement["kind"], movement["amount"]), ("refund", 30000), order)
        self.assertIn("сбоя на нашей стороне", movement["reason"])
        self.assertEqual(b.get(movement["receipt_url"], headers={"Accept": "text/html"})[0], 200)

    def test_a_problem_report_is_refunded_or_closed_by_staff_once(self):
        b = customer(STORE, "Сообщившая")
        top_up(b, 2000)
        first, second = rent_now(b, mauser_id(b)), rent_now(b, mauser_id(b))
        p = b.post(f"/api/v1/rentals/{first['id']}/playback")[1]
        b.post(f"/api/v1/rentals/{first['id']}/playback/beacon", {"session": p["session"], "error": "network: timeout"})
        path = f"/api/v1/rentals/{first['id']}/problems"
        for body, field in (({}, "text"), ({"text": ""}, "text"), ({"text": "x" * 1001}, "text"),
                            ({"text": "Не грузится", "session": "bad"}, "session")):
            status, problem, _ = b.post(path, body)
            self.assertEqual((status, problem["errors"][0]["field"]), (400, field), body)
        self.assertEqual(customer(STORE, "Чужая").post(path, {"text": "Не моё"})[0], 404)
        status, body, _ = b.post(path, {"text": "Видео останавливается каждую минуту", "session": p["session"]})
        self.assertEqual(status, 201, body)
        self.assertEqual(b.post(path, {"text": "Ещё раз"})[0], 409)  # one open report per rental
        self.assertEqual(b.post(f"/api/v1/rentals/{second['id']}/problems", {"text": "Нет звука"})[0], 201)

        staff = Browser(STORE)
        staff.login("support@chance.local", "support-password-2026")
        self.assertEqual(b.get("/api/v1/admin/playback-problems")[0], 403)
        self.assertEqual(staff.get("/api/v1/admin/playback-problems?status=some")[0], 400)
        items = [i for i in staff.get("/api/v1/admin/playback-problems")[1]["items"]
                 if i["rental_id"] in (first["id"], second["id"])]
        self.assertEqual(len(items), 2)
        case = next(i for i in items if i["rental_id"] == first["id"])
        self.assertEqual((case["playback"]["streams"], case["playback"]["errors"], case["playback"]["last_error"]),
                         (1, 1, "network: timeout"))
        self.assertEqual(case["refundable"], first["amount"])
        other = next(i for i in items if i["rental_id"] == second["id"])

        before = b.get("/api/v1/billing/amount/")[1]["amount"]
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _: staff.post(f"/api/v1/admin/playback-problems/{case['id']}/refund"),
                                    range(2)))
        statuses = sorted(a[0] for a in answers)
        self.assertIn(statuses, ([200, 200], [200, 409]))  # the second click: the same refund, or «already closed»
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], before + first["amount"])
        self.assertEqual(staff.post(f"/api/v1/admin/playback-problems/{case['id']}/close")[0], 409)
        self.assertEqual(staff.post(f"/api/v1/admin/playback-problems/{other['id']}/close")[0], 204)
        self.assertEqual(staff.post(f"/api/v1/admin/playback-problems/{other['id']}/refund")[0], 409)
        self.assertEqual(staff.post("/api/v1/admin/playback-problems/99999999/close")[0], 404)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], before + first["amount"])
        open_ids = [i["id"] for i in staff.get("/api/v1/admin/playback-problems")[1]["items"]]
        self.assertNotIn(case["id"], open_ids)
        closed = {i["id"]: i["resolution"] for i in staff.get("/api/v1/admin/playback-problems?status=all")[1]["items"]}
        self.assertEqual((closed[case["id"]], closed[other["id"]]), ("refunded", "closed"))
        # Once resolved, a new report of the same rental may be filed.
        self.assertEqual(b.post(path, {"text": "Снова не работает"})[0], 201)


if __name__ == "__main__":
    unittest.main()
