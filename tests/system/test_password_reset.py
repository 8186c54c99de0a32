"""«Забыли пароль?» through the gateway (ADR 0017): the emailed one-time link, its expiry and single use, the same
answer for known and unknown addresses, the limits per address and per client, and the sessions a new password
ends. The two-gateway case (a reset on one ends the sessions the other keeps in memory) is in test_access. And the
account's security settings: a new password with the current one, the list of sessions, signing out everywhere."""
import statistics
import sys
import threading
import time
import unittest
import uuid

from harness import Browser, Store, customer, emailed_links, mails_to, sql, token_of, wait_for

STORE = None
PASSWORD = "надёжный-пароль-2026"  # harness.customer's


def setUpModule():
    global STORE
    # The harness gives the gateway a generous allowance per client; the limit per client has a test of its own
    # below, on a gateway replica with the default.
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def reset_links(address):
    """The reset links emailed to `address` so far (the token is in the fragment)."""
    return emailed_links(STORE, address, "Смена пароля в «Шанс-видео»", "reset-password")


def new_customer(name):
    b = customer(STORE, name)
    return b, b.get("/api/v1/me")[1]["email"]


class PasswordReset(unittest.TestCase):
    def test_the_link_sets_a_new_password_once_and_ends_every_other_session(self):
        phone, address = new_customer("Забывчивая")
        laptop = Browser(STORE)
        laptop.login(address, PASSWORD)
        self.assertEqual(laptop.get("/api/v1/session")[1]["signed_in"], True)

        visitor = Browser(STORE)
        status, body, headers = visitor.post("/api/v1/auth/password-reset", {"email": address.upper()})
        self.assertEqual(status, 202, body)
        self.assertEqual(headers["cache-control"], "no-store")
        link = wait_for(lambda: reset_links(address))[0]
        self.assertTrue(link.startswith(STORE.origin + "/reset-password#token="), link)

        status, answer, _ = visitor.post("/api/v1/auth/password-reset/confirm",
                                         {"token": token_of(link), "password": "совсем-новый-пароль-1"})
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["user"]["email"], address)
        self.assertEqual(visitor.get("/api/v1/session")[1]["signed_in"], True)  # this browser is signed in
        # Every other session of the account is over; the old password no longer works, the new one does.
        self.assertEqual(phone.get("/api/v1/cart")[0], 401)
        self.assertEqual(laptop.get("/api/v1/session")[1]["signed_in"], False)
        self.assertEqual(Browser(STORE).post("/api/v1/auth/login", {"email": address, "password": PASSWORD})[0], 401)
        Browser(STORE).login(address, "совсем-новый-пароль-1")
        # The link works once.
        again = Browser(STORE).post("/api/v1/auth/password-reset/confirm",
                                    {"token": token_of(link), "password": "ещё-один-новый-пароль"})
        self.assertEqual(again[0], 422)
        self.assertEqual([e["field"] for e in again[1]["errors"]], ["token"])
        self.assertTrue(again[2]["content-type"].startswith("application/problem+json"))
        # And the customer is told their password changed.
        notice = wait_for(lambda: [m for m in mails_to(STORE, address) if str(m["Subject"]) == "Пароль изменён"])
        self.assertEqual(len(notice), 1)

    def test_the_same_link_used_twice_at_once_sets_one_password(self):
        _, address = new_customer("Двойной клик")
        Browser(STORE).post("/api/v1/auth/password-reset", {"email": address})
        token = token_of(wait_for(lambda: reset_links(address))[0])
        passwords = ["первый-новый-пароль-1", "второй-новый-пароль-2"]
        answers = [None, None]
        start = threading.Barrier(2)

        def use(i):
            start.wait()
            answers[i] = Browser(STORE).post("/api/v1/auth/password-reset/confirm",
                                             {"token": token, "password": passwords[i]})[0]
        threads = [threading.Thread(target=use, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(answers), [200, 422], answers)
        winner = passwords[answers.index(200)]
        loser = passwords[answers.index(422)]
        Browser(STORE).login(address, winner)
        self.assertEqual(Browser(STORE).post("/api/v1/auth/login", {"email": address, "password": loser})[0], 401)

    def test_an_expired_link_changes_nothing(self):
        _, address = new_customer("Опоздавший")
        Browser(STORE).post("/api/v1/auth/password-reset", {"email": address})
        link = wait_for(lambda: reset_links(address))[0]
        sql(STORE, "identity", "UPDATE password_resets SET expires_at = now() - interval '1 second'")
        status, problem, _ = Browser(STORE).post("/api/v1/auth/password-reset/confirm",
                                                 {"token": token_of(link), "password": "совсем-новый-пароль-2"})
        self.assertEqual(status, 422)
        self.assertEqual([e["field"] for e in problem["errors"]], ["token"])
        Browser(STORE).login(address, PASSWORD)  # the old password still works

    def test_known_and_unknown_addresses_get_the_same_answer(self):
        _, address = new_customer("Известная")
        unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.ru"
        answers, times = {}, {"known": [], "unknown": []}
        for i in range(6):  # alternating, 3 each (the limit per address is 3 an hour)
            kind, who = ("known", address) if i % 2 == 0 else ("unknown", unknown)
            started = time.perf_counter()
            status, body, headers = Browser(STORE).post("/api/v1/auth/password-reset", {"email": who})
            times[kind].append(time.perf_counter() - started)
            answers.setdefault(kind, set()).add((status, str(body), headers["content-type"]))
        self.assertEqual(answers["known"], answers["unknown"])
        self.assertEqual(len(answers["known"]), 1)
        print("password reset answer, median ms: known %.1f, unknown %.1f" %
              (statistics.median(times["known"]) * 1000, statistics.median(times["unknown"]) * 1000),
              file=sys.stderr)
        self.assertEqual(len(wait_for(lambda: len(reset_links(address)) == 3 and reset_links(address))), 3)
        # Past 3 an hour for an address, known or not, the answer is a 429 with when to come back.
        for who in (address, unknown):
            status, problem, headers = Browser(STORE).post("/api/v1/auth/password-reset", {"email": who})
            self.assertEqual(status, 429, problem)
            self.assertGreater(int(headers["retry-after"]), 3000)
        time.sleep(1)
        self.assertEqual(len(reset_links(address)), 3)

    def test_bad_input_names_the_field_and_changes_nothing(self):
        b = Browser(STORE)
        for body, field in (({}, "email"), ({"email": "not an address"}, "email"), ({"email": 5}, "email")):
            status, problem, headers = b.post("/api/v1/auth/password-reset", body)
            self.assertEqual(status, 400, problem)
            self.assertEqual([e["field"] for e in problem["errors"]], [field])
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
        for body, fields in (({"token": "short", "password": "совсем-новый-пароль-3"}, ["token"]),
                             ({"token": "A" * 43, "password": "short"}, ["password"]),
                             ({}, ["password", "token"])):
            status, problem, _ = b.post("/api/v1/auth/password-reset/confirm", body)
            self.assertEqual(status, 400, problem)
            self.assertEqual(sorted(e["field"] for e in problem["errors"]), fields)
        status, problem, _ = b.post("/api/v1/auth/password-reset/confirm",
                                    {"token": "A" * 43, "password": "совсем-новый-пароль-3"})
        self.assertEqual((status, [e["field"] for e in problem["errors"]]), (422, ["token"]))
        self.assertEqual(b.post("/api/v1/auth/password-reset", "{not json")[0], 400)
        # From another site's page: refused before anything is done.
        self.assertEqual(b.post("/api/v1/auth/password-reset", {"email": "a@example.ru"},
                                headers={"Origin": "https://evil.example"})[0], 403)


class PerClientLimit(unittest.TestCase):
    """The gateway's own limit per client address, on a replica with the default (a burst of 10), behind a proxy
    on 127.0.0.1 that names the client (so that no other test's requests count)."""

    @classmethod
    def setUpClass(cls):
        STORE.start_replica("gateway", "gateway-reset", {"CHANCE_TRUSTED_PROXIES": "127.0.0.1, ::1",
                                                         "CHANCE_PASSWORD_RESET_RATE": "0.05",
                                                         "CHANCE_PASSWORD_RESET_BURST": "10"})
        STORE.wait_ready(["gateway-reset"])

    @classmethod
    def tearDownClass(cls):
        STORE.stop_service("gateway-reset")

    def test_one_client_asking_for_many_addresses_is_held_back(self):
        b = Browser(STORE, port=STORE.ports["gateway-reset"])
        client = {"X-Forwarded-For": "198.51.100.77"}
        statuses = [b.post("/api/v1/auth/password-reset", {"email": f"many-{i}@example.ru"}, headers=client)[0]
                    for i in range(14)]
        self.assertEqual(statuses[:10], [202] * 10)
        self.assertIn(429, statuses[10:])
        status, _, headers = b.post("/api/v1/auth/password-reset/confirm",
                                    {"token": "A" * 43, "password": "совсем-новый-пароль-4"}, headers=client)
        self.assertEqual(status, 429)
        self.assertIn("retry-after", headers)


if __name__ == "__main__":
    unittest.main()


class AccountSecurity(unittest.TestCase):
    """Account settings: a new password with the current one, the list of sessions and ending them."""

    def test_a_new_password_with_the_current_one_ends_the_other_sessions_but_this_one(self):
        here, address = new_customer("Осторожная")
        there = Browser(STORE)
        there.login(address, PASSWORD)
        wrong = here.post("/api/v1/me/password", {"current_password": "не-тот-пароль-2026",
                                                  "new_password": "совсем-новый-пароль-5"})
        self.assertEqual(wrong[0], 422, wrong[1])
        self.assertEqual([e["field"] for e in wrong[1]["errors"]], ["current_password"])
        weak = here.post("/api/v1/me/password", {"current_password": PASSWORD, "new_password": "short"})
        self.assertEqual((weak[0], [e["field"] for e in weak[1]["errors"]]), (400, ["new_password"]))
        self.assertEqual(there.get("/api/v1/cart")[0], 200)  # nothing changed yet
        no_csrf = here.request("POST", "/api/v1/me/password", {"current_password": PASSWORD,
                                                               "new_password": "совсем-новый-пароль-5"}, csrf=False)
        self.assertEqual(no_csrf[0], 403)
        status, _, _ = here.post("/api/v1/me/password", {"current_password": PASSWORD,
                                                         "new_password": "совсем-новый-пароль-5"})
        self.assertEqual(status, 204)
        self.assertEqual(here.get("/api/v1/cart")[0], 200)  # this session stays
        self.assertEqual(there.get("/api/v1/cart")[0], 401)  # the other one is over
        self.assertEqual(Browser(STORE).post("/api/v1/auth/login", {"email": address, "password": PASSWORD})[0], 401)
        Browser(STORE).login(address, "совсем-новый-пароль-5")
        notice = wait_for(lambda: [m for m in mails_to(STORE, address) if str(m["Subject"]) == "Пароль изменён"])
        self.assertEqual(len(notice), 1)

    def test_the_sessions_list_shows_each_device_and_ends_one_only_for_its_own_account(self):
        here, address = new_customer("Два устройства")
        phone = Browser(STORE)
        phone.post("/api/v1/auth/login", {"email": address, "password": PASSWORD},
                   headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile"})
        items = here.get("/api/v1/me/sessions")[1]["items"]
        self.assertEqual(len(items), 2)
        self.assertEqual([i["current"] for i in items].count(True), 1)
        other = next(i for i in items if not i["current"])
        self.assertIn("Android 14", other["device"])
        self.assertTrue(other["created_at"].endswith("Z"))
        # Another customer sees none of them and cannot end one.
        stranger, _ = new_customer("Чужой")
        self.assertEqual([i["current"] for i in stranger.get("/api/v1/me/sessions")[1]["items"]], [True])
        self.assertEqual(stranger.request("DELETE", f"/api/v1/me/sessions/{other['id']}")[0], 404)
        self.assertEqual(phone.get("/api/v1/cart")[0], 200)
        self.assertEqual(here.request("DELETE", "/api/v1/me/sessions/not-a-handle")[0], 404)
        self.assertEqual(Browser(STORE).get("/api/v1/me/sessions")[0], 401)
        # The owner ends it.
        self.assertEqual(here.request("DELETE", f"/api/v1/me/sessions/{other['id']}")[0], 204)
        self.assertEqual(phone.get("/api/v1/cart")[0], 401)
        self.assertEqual([i["current"] for i in here.get("/api/v1/me/sessions")[1]["items"]], [True])

    def test_signing_out_everywhere_ends_every_session_this_one_too(self):
        here, address = new_customer("Везде")
        there = Browser(STORE)
        there.login(address, PASSWORD)
        self.assertEqual(here.post("/api/v1/auth/logout-everywhere")[0], 204)
        self.assertEqual(here.get("/api/v1/cart")[0], 401)
        self.assertEqual(there.get("/api/v1/cart")[0], 401)
        self.assertEqual(here.get("/api/v1/session")[1]["signed_in"], False)
