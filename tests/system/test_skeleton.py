"""The store's promises that cross services, against real processes."""
import os
import re
import unittest
import urllib.parse

from harness import Browser, Store, infra

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


class Health(unittest.TestCase):
    def test_every_service_is_ready_and_exposes_metrics(self):
        for s, port in STORE.ports.items():
            code, body = infra.http_get(f"http://127.0.0.1:{port}/readyz")
            self.assertEqual(code, 200, (s, body))
            code, body = infra.http_get(f"http://127.0.0.1:{port}/metrics")
            self.assertEqual(code, 200)
            self.assertIn("# TYPE", body)


class Storefront(unittest.TestCase):
    def test_the_spa_is_served_compressed_and_cached_by_content_hash(self):
        b = Browser(STORE)
        status, page, headers = b.get("/search?q=x", headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["cache-control"], "no-cache")  # the page itself is always revalidated
        script = re.search(r'src="(/assets/index-[^"]+\.js)"', page).group(1)
        plain = b.get(script, headers={"Accept": "*/*"})
        for encoding in ("br", "gzip"):
            status, _, headers = b.get(script, headers={"Accept": "*/*", "Accept-Encoding": encoding})
            self.assertEqual(status, 200)
            self.assertEqual(headers.get("content-encoding"), encoding)
            self.assertEqual(headers["vary"], "Accept-Encoding")
            self.assertLess(int(headers["content-length"]), len(plain[1]) / 2)
            self.assertIn("immutable", headers["cache-control"])
        self.assertNotIn("content-encoding", plain[2])


class Search(unittest.TestCase):
    def test_anonymous_customer_finds_mauser_through_the_gateway(self):
        b = Browser(STORE)
        status, body, headers = b.get("/api/v1/search/?q=" + urllib.parse.quote("Маузер"))
        self.assertEqual(status, 200)
        self.assertEqual(body["items"][0]["title"], "Маузер")
        self.assertIn("Дмитрий Высоцкий", body["items"][0]["actors"])
        # JSON is never a page: its policy allows nothing should a browser render it; the SPA's page gets the page's.
        self.assertEqual(headers["content-security-policy"], "default-src 'none'; frame-ancestors 'none'")
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        status, page, headers = b.get("/premiere/1", headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertIn('<div id="root">', page)
        self.assertIn("script-src 'self'", headers["content-security-policy"])

    def test_premiere_page_and_quote_are_public(self):
        b = Browser(STORE)
        _, found, _ = b.get("/api/v1/search/?q=" + urllib.parse.quote("Маузер"))
        pid = found["items"][0]["id"]
        status, page, _ = b.get(f"/api/v1/premiere/{pid}")
        self.assertEqual(status, 200)
        self.assertEqual(page["theatre"], "Театр на Таганке")
        status, quote, _ = b.get(f"/api/v1/rent/{pid}?period=24")
        self.assertEqual((status, quote["total"]), (200, 47920))


class Sessions(unittest.TestCase):
    def test_register_me_logout(self):
        b = Browser(STORE)
        status, body, headers = b.post("/api/v1/auth/register", {"email": "ivan@example.ru", "password":
                                       "длинный-пароль-2026", "name": "Иван", "consent": True})
        self.assertEqual(status, 201, body)
        cookie = headers["set-cookie"]
        for flag in ("__Host-session=", "Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(flag, cookie)
        status, me, _ = b.get("/api/v1/me")
        self.assertEqual((status, me["email"], me["name"]), (200, "ivan@example.ru", "Иван"))
        old = dict(b.cookies)
        self.assertEqual(b.post("/api/v1/auth/logout")[0], 204)
        b.cookies = old  # replaying the old cookie after logout must not work
        self.assertEqual(b.get("/api/v1/me")[0], 401)

    def test_login_rotates_the_session(self):
        b = Browser(STORE)
        b.login()
        first = b.cookies["__Host-session"]
        b.login()
        self.assertNotEqual(first, b.cookies["__Host-session"])
        stale = Browser(STORE)
        stale.cookies = {"__Host-session": first}
        self.assertEqual(stale.get("/api/v1/me")[0], 401)

    def test_duplicate_email_and_bad_fields(self):
        b = Browser(STORE)
        status, body, _ = b.post("/api/v1/auth/register", {"email": "demo@chance.local", "password":
                                 "длинный-пароль-2026", "name": "Двойник", "consent": True})
        self.assertEqual(status, 409)
        status, body, headers = b.post("/api/v1/auth/register", {"email": "x", "password": 5, "name": "A" * 101})
        self.assertEqual(status, 400)
        self.assertEqual(headers["content-type"].split(";")[0], "application/problem+json")
        self.assertEqual(sorted(e["field"] for e in body["errors"]), ["consent", "email", "name", "password"])


class Protection(unittest.TestCase):
    def test_private_routes_need_a_session_and_internal_ones_do_not_exist(self):
        b = Browser(STORE)
        for path in ("/api/v1/cart", "/api/v1/billing/amount/", "/api/v1/rentals", "/api/v1/notifications"):
            self.assertEqual(b.get(path)[0], 401, path)
        b.login()
        self.assertEqual(b.post("/api/v1/billing/withdraw/", {"id": 1, "summ": 1})[0], 404)

    def test_csrf_token_and_origin_are_required(self):
        b = Browser(STORE)
        b.login()
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"name": "Х"}, csrf=False)[0], 403)
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"name": "Х"},
                                   headers={"Origin": "http://evil.example"})[0], 403)
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"name": "Анна Демина"})[0], 200)

    def test_forged_identity_straight_to_a_service_is_refused(self):
        conn = __import__("http.client").client.HTTPConnection("127.0.0.1", STORE.ports["premieres"], timeout=5)
        conn.request("GET", "/api/v1/cart", headers={"X-Chance-Identity": "v1.eyJzdWIiOiIxIn0.AAAA"})
        self.assertEqual(conn.getresponse().status, 401)

    def test_login_brute_force_locks_the_account_even_for_the_right_password(self):
        b = Browser(STORE)
        b.post("/api/v1/auth/register", {"email": "victim@example.ru", "password": "правильный-пароль-1",
                                         "name": "Жертва", "consent": True})
        statuses = [b.post("/api/v1/auth/login", {"email": "victim@example.ru", "password": f"wrong-{i}-password"})[0]
                    for i in range(20)]
        self.assertIn(429, statuses)
        status, body, headers = b.post("/api/v1/auth/login", {"email": "victim@example.ru",
                                                              "password": "правильный-пароль-1"})
        self.assertEqual(status, 429)
        self.assertIn("retry-after", headers)


if __name__ == "__main__":
    unittest.main()
