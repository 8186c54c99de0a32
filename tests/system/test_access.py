"""Issue 4 and 6 promises that need the whole store: the authorization matrix (anonymous / customer / admin ×
routes), an expired session, and the payment provider's webhook (replay credits once, unknown payment 404,
forged signature 401); the gateway as a cluster (two replicas behind a proxy share the rate limits and the login
lockout, keyed on the client the proxy names)."""
import re
import sys
import time
import unittest
import urllib.parse
import uuid

from harness import Browser, Store, customer, mails_to, top_up, wait_for, webhook

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


# (method, path, expected status for anonymous, customer, admin); bodies are empty objects, so routes that
# validate input answer 400 once the caller is allowed in.
MATRIX = [
    ("GET", "/api/v1/search/?q=x", 200, 200, 200),
    ("GET", "/api/v1/search/suggest?q=Мау", 200, 200, 200),
    ("GET", "/api/v1/premiere/1", 200, 200, 200),
    ("GET", "/api/v1/premiere/1/poster.svg", 200, 200, 200),
    ("GET", "/api/v1/rent/1?period=24", 200, 200, 200),
    ("POST", "/api/v1/rent/", 401, 400, 400),
    ("GET", "/api/v1/me", 401, 200, 200),
    ("GET", "/api/v1/session", 200, 200, 200),
    ("PATCH", "/api/v1/me", 401, 400, 400),
    ("GET", "/api/v1/cart", 401, 200, 200),
    ("POST", "/api/v1/cart/items", 401, 400, 400),
    ("POST", "/api/v1/orders", 401, 400, 400),
    ("GET", "/api/v1/orders", 401, 200, 200),
    ("POST", "/api/v1/me/email", 401, 400, 400),
    ("POST", "/api/v1/auth/verify-email", 400, 400, 400),
    ("GET", "/api/v1/orders/00000000-0000-7000-8000-000000000000/receipts/payment", 401, 404, 404),
    ("GET", "/api/v1/orders/018bcfe5-6800-7000-8000-000000000000", 401, 404, 404),
    ("GET", "/api/v1/rentals", 401, 200, 200),
    ("GET", "/api/v1/rentals/999999/playback", 401, 404, 404),
    ("POST", "/api/v1/rentals/999999/playback", 401, 404, 404),
    ("POST", "/api/v1/rentals/999999/playback/beacon", 401, 400, 400),
    ("POST", "/api/v1/rentals/999999/problems", 401, 400, 400),
    ("GET", "/api/v1/admin/playback-problems", 401, 403, 200),
    ("GET", "/api/v1/premiere/1/shows", 200, 200, 200),
    ("GET", "/api/v1/shows?premieres=1,2", 200, 200, 200),
    ("GET", "/api/v1/shows", 400, 400, 400),
    ("GET", "/api/v1/admin/premieres/1/shows", 401, 403, 200),
    ("POST", "/api/v1/admin/premieres/1/shows", 401, 403, 400),
    ("POST", "/api/v1/admin/shows/999999/cancel", 401, 403, 404),
    ("GET", "/api/v1/theatre/premieres/1/shows", 401, 403, 200),
    ("POST", "/api/v1/theatre/premieres/1/shows", 401, 403, 400),
    ("POST", "/api/v1/theatre/shows/999999/cancel", 401, 403, 404),
    ("GET", "/api/v1/vouchers/0000-0000-0000-0000", 401, 403, 404),
    ("POST", "/api/v1/vouchers/0000000000000000/redeem", 401, 400, 400),
    ("GET", "/api/v1/theatre/me", 401, 403, 404),
    ("GET", "/api/v1/theatre/premieres", 401, 403, 400),
    ("PUT", "/api/v1/theatre/premieres/1/voucher", 401, 403, 400),
    ("PUT", "/api/v1/admin/theatre-staff/1", 401, 403, 400),
    ("POST", "/api/v1/admin/playback-problems/999999/refund", 401, 403, 404),
    ("POST", "/api/v1/admin/playback-problems/999999/close", 401, 403, 404),
    ("GET", "/api/v1/billing/amount/", 401, 200, 200),
    ("POST", "/api/v1/billing/fill", 401, 400, 400),
    ("GET", "/api/v1/billing/history", 401, 200, 200),
    ("POST", "/api/v1/billing/withdraw/", 404, 404, 404),
    ("POST", "/api/v1/billing/refund/", 404, 404, 404),
    ("GET", "/api/v1/notifications", 401, 200, 200),
    ("GET", "/api/v1/me/notifications", 401, 200, 200),
    ("GET", "/api/v1/admin/notifications/dead-letters", 401, 403, 200),
    ("GET", "/api/v1/admin/premieres", 401, 403, 200),
    ("POST", "/api/v1/admin/premieres", 401, 403, 422),
    ("GET", "/api/v1/admin/premieres/1", 401, 403, 200),
    ("PATCH", "/api/v1/admin/premieres/1", 401, 403, 422),
    ("GET", "/api/v1/admin/premieres/1/history", 401, 403, 200),
    ("GET", "/api/v1/admin/notifications/deliveries", 401, 403, 200),
    ("GET", "/internal/users/1", 200, 200, 200),  # not an API route: the SPA's index.html, never the service
    ("GET", "/api/v1/nonexistent", 404, 404, 404),
]


class Authorization(unittest.TestCase):
    def test_matrix(self):
        anonymous = Browser(STORE)
        customer_b = Browser(STORE)
        customer_b.login()
        admin = Browser(STORE)
        admin.login("admin@chance.local", "admin-password-2026")
        for method, path, *expected in MATRIX:
            for who, b, want in zip(("anonymous", "customer", "admin"), (anonymous, customer_b, admin), expected):
                body = {} if method in ("POST", "PATCH") else None
                status, payload, headers = b.request(method, urllib.parse.quote(path, safe="/?=&"), body)
                self.assertEqual(status, want, f"{who} {method} {path}: {payload}")
                if path.startswith("/internal"):
                    self.assertTrue(headers["content-type"].startswith("text/html"))

    def test_expired_session_is_401_and_the_cookie_stops_working(self):
        b = customer(STORE, "Просрочка")
        self.assertEqual(b.get("/api/v1/me")[0], 200)
        STORE.pg.psql("UPDATE sessions SET expires_at = now() - interval '1 second'", "chance_gateway")
        self.assertEqual(b.get("/api/v1/me")[0], 401)
        self.assertEqual(b.get("/api/v1/cart")[0], 401)

    def test_idle_session_expires_after_thirty_minutes_unless_remembered(self):
        b = Browser(STORE)
        b.login()
        r = Browser(STORE)
        status, _, headers = r.post("/api/v1/auth/login", {"email": "demo@chance.local", "password": "demo-password-2026",
                                                           "remember": True})
        self.assertIn("Max-Age=2592000", headers["set-cookie"])
        STORE.pg.psql("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'", "chance_gateway")
        self.assertEqual(b.get("/api/v1/me")[0], 401)
        self.assertEqual(r.get("/api/v1/me")[0], 200)


class CatalogAdministration(unittest.TestCase):
    def test_admin_creates_changes_and_hides_a_premiere_and_the_storefront_follows(self):
        admin = Browser(STORE)
        admin.login("admin@chance.local", "admin-password-2026")
        slug = "system-" + uuid.uuid4().hex[:8]
        premiere = {"slug": slug, "title": "Чайка системного теста", "theatre": "Театр Наций", "director": "Режиссёр",
                    "age_rating": "12+", "duration_minutes": 100, "description_short": "Коротко.",
                    "description_full": "Подробно.", "price_theatre": 250000, "price_online": 39900,
                    "base_period_hours": 24, "periods": [{"hours": 24, "factor": "1"}],
                    "reservable_from": "2026-01-01T00:00:00Z", "reservable_until": "2030-01-01T00:00:00Z",
                    "cast": [{"actor": "Тестовая Актриса", "role": "Нина"}]}
        status, created, _ = admin.post("/api/v1/admin/premieres", dict(premiere, price_online=-1))
        self.assertEqual(status, 422)
        self.assertIn("price_online", [e["field"] for e in created["errors"]])
        status, created, _ = admin.post("/api/v1/admin/premieres", premiere)
        self.assertEqual(status, 201, created)
        shopper = Browser(STORE)
        q = "/api/v1/search/?q=" + urllib.parse.quote("Чайка системного")
        _, found, _ = shopper.get(q)
        self.assertEqual([i["title"] for i in found["items"]], ["Чайка системного теста"])
        self.assertEqual(found["items"][0]["price_online_final"], 39900)

        path = f"/api/v1/admin/premieres/{created['id']}"
        status, changed, _ = admin.request("PATCH", path, {"version": created["version"], "discount_percent": 50})
        self.assertEqual(status, 200, changed)
        _, found, _ = shopper.get(q)
        self.assertEqual(found["items"][0]["price_online_final"], 19950)
        status, _, _ = admin.request("PATCH", path, {"version": created["version"], "hidden": True})
        self.assertEqual(status, 409)  # read before the discount: stale
        status, _, _ = admin.request("PATCH", path, {"version": changed["version"], "hidden": True})
        self.assertEqual(status, 200)
        _, found, _ = shopper.get(q)
        self.assertEqual(found["items"], [])
        self.assertEqual(shopper.get(f"/api/v1/premiere/{created['id']}")[0], 404)
        status, _, _ = admin.request("PATCH", path, {"version": changed["version"] + 1, "title": "x"}, csrf=False)
        self.assertEqual(status, 403)  # no CSRF token, nothing changes
        _, history, _ = admin.get(path + "/history")
        self.assertEqual([e["type"] for e in history["items"]], ["hidden", "price_changed", "created"])


class PublicAnswers(unittest.TestCase):
    """The catalog's public answers are kept by the gateway and revalidated by ETag; nothing about a customer is."""

    def test_a_public_answer_is_kept_and_revalidated_and_is_the_same_for_everyone(self):
        visitor, first, second = Browser(STORE), customer(STORE, "Первая"), customer(STORE, "Второй")
        path = "/api/v1/premiere/1"
        status, page, headers = visitor.get(path)
        self.assertEqual(status, 200)
        self.assertEqual(headers["cache-control"], "public, max-age=1")
        etag = headers["etag"]
        for b in (first, second):
            status, same, h = b.get(path)
            self.assertEqual((status, same, h["etag"]), (200, page, etag))
            # A repeat is served from the gateway's memory (it has an Age), with the headers every answer carries.
            kept = next((h for h in (b.get(path)[2] for _ in range(5)) if "age" in h), None)
            self.assertIsNotNone(kept)
            self.assertIn("frame-ancestors 'none'", kept["content-security-policy"])
            self.assertEqual(kept["x-content-type-options"], "nosniff")
        status, body, h = visitor.get(path, headers={"If-None-Match": etag})
        self.assertEqual((status, body, h["etag"]), (304, None, etag))
        self.assertIn("content-security-policy", h)
        status, body, _ = visitor.get(path, headers={"If-None-Match": '"other"'})
        self.assertEqual((status, body), (200, page))
        for quoted in ("/api/v1/rent/1?period=24", "/api/v1/search/?q=" + urllib.parse.quote("Гамлет"),
                       "/api/v1/search/suggest?q=" + urllib.parse.quote("Гам")):
            status, _, h = second.get(quoted)
            self.assertEqual((status, h["cache-control"]), (200, "public, max-age=1"), quoted)

    def test_two_customers_asking_the_same_private_address_each_get_their_own(self):
        first, second = customer(STORE, "Богатая"), customer(STORE, "Бедный")
        top_up(first, 100)
        self.assertTrue(wait_for(lambda: first.get("/api/v1/billing/amount/")[1]["amount"] == 10000))
        for path in ("/api/v1/billing/amount/", "/api/v1/billing/history", "/api/v1/me"):
            answers = []
            for b in (first, second, first):
                status, body, headers = b.get(path)
                self.assertEqual(status, 200, (path, body))
                self.assertEqual(headers.get("cache-control"), "no-store", path)
                self.assertNotIn("age", headers, path)
                answers.append(body)
            self.assertEqual(answers[0], answers[2], path)
            self.assertNotEqual(answers[0], answers[1], path)


class Upstreams(unittest.TestCase):
    def test_a_down_upstream_is_a_quick_503_with_a_retry_hint(self):
        b = Browser(STORE)
        b.login()
        STORE.stop_service("notifications")
        try:
            import time
            start = time.time()
            status, problem, headers = b.get("/api/v1/notifications")
            self.assertEqual(status, 503)
            self.assertIn("retry-after", headers)
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
            self.assertLess(time.time() - start, 10)
            self.assertEqual(b.get("/api/v1/cart")[0], 200)  # the rest of the store keeps working
        finally:
            STORE.start_service("notifications")
            STORE.wait_ready(["notifications"])


class GatewayCluster(unittest.TestCase):
    """Two more gateways as if behind HAProxy on 127.0.0.1: they trust it, so X-Forwarded-For names the client.
    Their API limit is 2/s with a burst of 20 (windows of 10 s, 20 requests each)."""

    @classmethod
    def setUpClass(cls):
        env = {"CHANCE_TRUSTED_PROXIES": "127.0.0.1, ::1", "CHANCE_API_RATE": "2", "CHANCE_API_BURST": "20"}
        cls.replicas = ["gateway-a", "gateway-b"]
        for name in cls.replicas:
            STORE.start_replica("gateway", name, env)
        STORE.wait_ready(cls.replicas)

    @classmethod
    def tearDownClass(cls):
        for name in cls.replicas:
            STORE.stop_service(name)

    def browsers(self):
        return [Browser(STORE, port=STORE.ports[name]) for name in self.replicas]

    def through_both(self, client, browsers, n, path="/api/v1/search/?q=x{i}"):
        """n requests of `client`, alternating between the replicas, 50 ms apart (a few per flush interval); {i} in
        the path is the request's number (distinct searches: a kept public answer takes nothing from the allowance).
        """
        statuses = []
        for i in range(n):
            statuses.append(browsers[i % 2].get(path.replace("{i}", str(i)),
                                                headers={"X-Forwarded-For": f"6.6.6.6, {client}"})[0])
            time.sleep(0.05)
        return statuses

    def test_two_gateways_give_one_allowance_per_client(self):
        statuses = self.through_both("198.51.100.1", self.browsers(), 50)
        allowed = statuses.count(200)
        # One allowance (20, plus what the sliding window frees in 2.5 s and a flush interval's overshoot), not
        # the 40 two separate replicas would give.
        self.assertGreaterEqual(allowed, 20, statuses)
        self.assertLessEqual(allowed, 30, statuses)
        self.assertIn(429, statuses)
        # Another client behind the same proxy is not throttled for it.
        self.assertEqual(self.through_both("198.51.100.2", self.browsers(), 2), [200, 200])
        # The main gateway trusts no proxy: there X-Forwarded-For changes nothing.
        b = Browser(STORE)
        self.assertEqual(b.get("/api/v1/search/?q=x", headers={"X-Forwarded-For": "198.51.100.1"})[0], 200)

    def test_a_kept_public_answer_takes_nothing_from_the_allowance(self):
        b = customer(STORE, "Постоянный зритель")  # an account of its own: its allowance is all this test's
        b.port = STORE.ports[self.replicas[0]]
        forwarded = {"X-Forwarded-For": "6.6.6.6, 198.51.100.5"}
        path = f"/api/v1/search/?q=kept{uuid.uuid4().hex[:6]}"
        # 41 of one search: the first reaches the service (and takes one); the gateway keeps the answer for its
        # max-age and serves the rest from memory. Taken from an allowance of 20 at 2/s, they would end in 429s.
        statuses = [b.get(path, headers=forwarded)[0] for _ in range(41)]
        self.assertEqual(statuses, [200] * 41)
        # The allowance is nearly whole: 10 distinct searches (each reaching the service) still pass.
        fresh = [b.get(f"{path}-{i}", headers=forwarded)[0] for i in range(10)]
        self.assertEqual(fresh, [200] * 10)
        # And it is still metered: past it, distinct searches are refused.
        more = [b.get(f"{path}+{i}", headers=forwarded)[0] for i in range(30)]
        self.assertIn(429, more)

    def test_signed_in_customers_are_limited_by_account_not_by_their_shared_address(self):
        nat = "198.51.100.3"
        first = self.browsers()
        first[0].login()
        first[1].cookies = first[0].cookies  # one customer, its requests spread over both gateways
        second = customer(STORE, "Сосед по сети")
        second.port = STORE.ports["gateway-b"]
        statuses = self.through_both(nat, first, 40, "/api/v1/cart")
        self.assertIn(429, statuses)
        self.assertLessEqual(statuses.count(200), 30, statuses)
        # Behind the same address, another customer has an allowance of their own.
        self.assertEqual(second.get("/api/v1/cart", headers={"X-Forwarded-For": nat})[0], 200)

    def test_a_login_lockout_on_one_gateway_holds_on_the_other(self):
        a, b = self.browsers()
        email = f"cluster-{uuid.uuid4().hex[:8]}@example.ru"
        status, body, _ = Browser(STORE).post("/api/v1/auth/register", {"email": email,
                                                                        "password": "правильный-пароль-1",
                                                                        "name": "Кластер",
                                                                        "consent": True})
        self.assertEqual(status, 201, body)
        forwarded = {"X-Forwarded-For": "198.51.100.4"}
        for i in range(6):  # five free attempts and one more, three on each gateway
            status, _, _ = (a, b)[i % 2].post("/api/v1/auth/login", {"email": email, "password": f"wrong-{i}-pass"},
                                               headers=forwarded)
            self.assertEqual(status, 401)
        status, _, headers = a.post("/api/v1/auth/login", {"email": email, "password": "правильный-пароль-1"},
                                    headers=forwarded)
        self.assertEqual(status, 429)
        self.assertIn("retry-after", headers)

    @staticmethod
    def signed_in_after(b, forwarded, started, what):
        """Whether b's session still holds 10 s after `started` (asked every 50 ms; prints when it ended)."""
        signed_in = True
        while signed_in and time.monotonic() - started < 10:
            signed_in = b.get("/api/v1/session", headers=forwarded)[1]["signed_in"]
            if signed_in:
                time.sleep(0.05)
        print(f"{what} reached the other gateway after {time.monotonic() - started:.3f} s", file=sys.stderr)
        return signed_in

    def test_a_logout_on_one_gateway_ends_the_session_on_the_other_and_on_this_one(self):
        """Each gateway answers a session it has seen from memory; a logout on one reaches the others by LISTEN."""
        a, b = self.browsers()
        a.login()
        b.cookies, b.csrf = a.cookies, a.csrf
        forwarded = {"X-Forwarded-For": "198.51.100.5"}
        for _ in range(2):  # the second time from b's memory
            self.assertEqual(b.get("/api/v1/session", headers=forwarded)[1]["signed_in"], True)
        stolen = dict(a.cookies)  # what a copied cookie would carry after the logout
        self.assertEqual(a.post("/api/v1/auth/logout", {}, headers=forwarded)[0], 204)
        started = time.monotonic()
        b.cookies = dict(stolen)
        self.assertFalse(self.signed_in_after(b, forwarded, started, "logout"))
        self.assertEqual(b.get("/api/v1/cart", headers=forwarded)[0], 401)
        a.cookies = dict(stolen)
        self.assertEqual(a.get("/api/v1/cart", headers=forwarded)[0], 401)


    def test_a_new_password_on_one_gateway_ends_the_sessions_the_other_keeps_in_memory(self):
        a, b = self.browsers()
        forwarded = {"X-Forwarded-For": "198.51.100.6"}
        b_customer = customer(STORE, "Два браузера")
        address = b_customer.get("/api/v1/me")[1]["email"]
        b.cookies, b.csrf = b_customer.cookies, b_customer.csrf
        for _ in range(2):  # the second time from b's memory
            self.assertEqual(b.get("/api/v1/session", headers=forwarded)[1]["signed_in"], True)
        self.assertEqual(a.post("/api/v1/auth/password-reset", {"email": address}, headers=forwarded)[0], 202)
        mail = wait_for(lambda: [m for m in mails_to(STORE, address) if "Смена пароля" in str(m["Subject"])])
        token = re.search(r"#token=([A-Za-z0-9_-]+)", mail[0].get_body(preferencelist=("plain",)).get_content())
        started = time.monotonic()
        status, _, _ = a.post("/api/v1/auth/password-reset/confirm",
                              {"token": token.group(1), "password": "пароль-после-сброса-1"}, headers=forwarded)
        self.assertEqual(status, 200)
        self.assertFalse(self.signed_in_after(b, forwarded, started, "a new password"))
        self.assertEqual(a.get("/api/v1/session", headers=forwarded)[1]["signed_in"], True)


class Origins(unittest.TestCase):
    def test_the_store_answers_state_changes_from_its_other_allowed_origin_only(self):
        port = STORE.ports["gateway"]
        b = Browser(STORE)
        body = {"email": f"o-{uuid.uuid4().hex[:8]}@example.ru", "password": "надёжный-пароль-2026", "name": "Ольга",
                "consent": True}
        status, _, _ = b.post("/api/v1/auth/register", body, headers={"Origin": f"http://127.0.0.1:{port + 1}"})
        self.assertEqual(status, 403)
        status, created, _ = b.post("/api/v1/auth/register", body, headers={"Origin": f"http://127.0.0.1:{port}"})
        self.assertEqual(status, 201, created)


class Webhook(unittest.TestCase):
    def test_replayed_webhook_credits_once_and_unknown_or_forged_ones_change_nothing(self):
        b = customer(STORE, "Вебхук")
        status, body, _ = b.post("/api/v1/billing/fill", {"summ": 30000})
        payment = body["payment_id"]
        event = {"event_id": "evt-" + uuid.uuid4().hex, "payment_id": payment, "status": "succeeded", "amount": 30000}
        self.assertEqual(webhook(STORE, event), 200)
        self.assertEqual(webhook(STORE, event), 200)  # the same notification again
        self.assertEqual(webhook(STORE, dict(event, event_id="evt-" + uuid.uuid4().hex)), 200)  # a second notice
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 30000)
        self.assertEqual(b.get(f"/api/v1/billing/payments/{payment}")[1]["status"], "succeeded")
        self.assertEqual(webhook(STORE, dict(event, payment_id=str(uuid.uuid4()))), 404)
        self.assertEqual(webhook(STORE, dict(event, amount=1)), 422)
        self.assertEqual(webhook(STORE, event, secret="11" * 32), 401)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 30000)
        self.assertEqual([h["type"] for h in b.get("/api/v1/billing/history")[1]["items"]], ["top_up"])


class Acquirer(unittest.TestCase):
    """billing and the sandbox acquirer are separate processes that meet only at the acquirer's API, its page and
    billing's webhook."""

    def test_a_notification_billing_missed_is_repeated_until_billing_takes_it(self):
        b = customer(STORE, "Повтор уведомления")
        status, body, _ = b.post("/api/v1/billing/fill", {"summ": 25000, "return_url": "/billing"})
        self.assertEqual(status, 201, body)
        payment = body["payment_id"]
        path = urllib.parse.urlparse(body["confirmation_url"]).path
        status, page, _ = b.get(path, headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"form_token": token, "number": "4242424242424242", "expiry": "12/30",
                                       "cvc": "123"})
        STORE.stop_service("billing")
        try:
            status, _, headers = b.request("POST", path, form,
                                           headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual((status, headers["location"]), (303, f"/billing?payment={payment}"))
        finally:
            STORE.start_service("billing")
            STORE.wait_ready(["billing"])
        self.assertTrue(wait_for(lambda: b.get("/api/v1/billing/amount/")[1]["amount"] == 25000, 60),
                        "the acquirer repeated its notification")
        self.assertEqual(b.get(f"/api/v1/billing/payments/{payment}")[1]["status"], "succeeded")
        self.assertEqual([h["type"] for h in b.get("/api/v1/billing/history")[1]["items"]], ["top_up"])


if __name__ == "__main__":
    unittest.main()
