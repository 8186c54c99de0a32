"""Confirming an email address through the gateway (ADR 0020): the link sent at registration, single use and
expiry, the resend limit, a change of address that takes effect only when the new address's link is opened (the old
address told, signing in with the new one), wrong password and taken addresses, and bad input."""
import unittest

from harness import Browser, Store, customer, emailed_links, mails_to, sql, token_of, wait_for

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def links(address, subject):
    """The confirmation links emailed to `address` under `subject` so far (the token is in the fragment)."""
    return [token_of(link) for link in emailed_links(STORE, address, subject, "verify-email")]


def signed_up(name):
    b = customer(STORE, name)
    return b, b.get("/api/v1/me")[1]["email"]


class EmailVerification(unittest.TestCase):
    def test_the_registration_link_confirms_the_address_once(self):
        b, address = signed_up("Проверка")
        self.assertFalse(b.get("/api/v1/me")[1]["email_verified"])  # the account works before it
        [token] = wait_for(lambda: links(address, "Подтвердите адрес почты"))
        visitor = Browser(STORE)  # the link works in any browser: it is the proof
        status, body, headers = visitor.post("/api/v1/auth/verify-email", {"token": token})
        self.assertEqual((status, body["email"], body["changed"]), (200, address, False), body)
        self.assertIn("no-store", headers["cache-control"])
        self.assertTrue(b.get("/api/v1/me")[1]["email_verified"])
        status, problem, _ = visitor.post("/api/v1/auth/verify-email", {"token": token})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "token"), problem)
        status, problem, _ = b.post("/api/v1/me/email-verification")
        self.assertEqual(status, 409, problem)  # confirmed already: nothing to send

    def test_an_expired_link_is_refused_and_bad_tokens_name_the_field(self):
        b, address = signed_up("Просрочка")
        [token] = wait_for(lambda: links(address, "Подтвердите адрес почты"))
        user = b.get("/api/v1/me")[1]["id"]
        sql(STORE, "identity", f"UPDATE email_verifications SET expires_at = now() - interval '1 second' "
                               f"WHERE user_id = {int(user)}")
        status, problem, _ = b.post("/api/v1/auth/verify-email", {"token": token})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "token"), problem)
        self.assertFalse(b.get("/api/v1/me")[1]["email_verified"])
        for body in ({}, {"token": "short"}, {"token": 5}, "not json"):
            status, problem, headers = b.post("/api/v1/auth/verify-email", body)
            self.assertEqual(status, 400, (body, problem))
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
        status, _, _ = b.post("/api/v1/auth/verify-email", {"token": token}, origin=False)
        self.assertEqual(status, 403)  # a form of another site cannot post it

    def test_resending_is_limited_per_account(self):
        b, address = signed_up("Повтор")
        wait_for(lambda: links(address, "Подтвердите адрес почты"))
        answers = [b.post("/api/v1/me/email-verification") for _ in range(3)]
        # The registration's email and two more make three an hour.
        self.assertEqual([a[0] for a in answers], [202, 202, 429], answers)
        self.assertIn("retry-after", answers[2][2])
        self.assertIn(address, answers[0][1]["detail"])
        tokens = wait_for(lambda: (lambda t: t if len(t) == 3 else None)(links(address, "Подтвердите адрес почты")))
        self.assertEqual(len(set(tokens)), 3)
        self.assertEqual(Browser(STORE).post("/api/v1/me/email-verification")[0], 401)

    def test_a_new_address_takes_effect_when_its_link_is_opened_and_the_old_one_is_told(self):
        b, old = signed_up("Переезд")
        new = "m" + old[1:]  # not containing the old address (mails are found by substring)
        status, problem, _ = b.post("/api/v1/me/email", {"email": new, "password": "неверный-пароль-2026"})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "password"), problem)
        status, problem, _ = b.post("/api/v1/me/email", {"email": old.upper(), "password": "надёжный-пароль-2026"})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "email"), problem)
        _, other = signed_up("Занято")
        status, problem, _ = b.post("/api/v1/me/email", {"email": other, "password": "надёжный-пароль-2026"})
        self.assertEqual((status, problem["errors"][0]["field"]), (409, "email"), problem)
        status, problem, _ = b.post("/api/v1/me/email", {"email": "нет собаки", "password": "надёжный-пароль-2026"})
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "email"), problem)

        status, body, _ = b.post("/api/v1/me/email", {"email": new, "password": "надёжный-пароль-2026"})
        self.assertEqual(status, 202, body)
        self.assertEqual(b.get("/api/v1/me")[1]["email"], old)  # not before the link is opened
        [token] = wait_for(lambda: links(new, "Новый адрес почты в «Шанс-видео»"))
        self.assertEqual(links(old, "Новый адрес почты в «Шанс-видео»"), [])  # the link goes to the new address only
        status, body, _ = Browser(STORE).post("/api/v1/auth/verify-email", {"token": token})
        self.assertEqual((status, body["email"], body["changed"]), (200, new, True), body)
        me = b.get("/api/v1/me")[1]
        self.assertEqual((me["email"], me["email_verified"]), (new, True))
        notice = wait_for(lambda: [m for m in mails_to(STORE, old) if str(m["Subject"]) == "Адрес почты изменён"])
        self.assertEqual(len(notice), 1)
        self.assertIn("m***@", notice[0].get_body(preferencelist=("plain",)).get_content())
        # Signing in: the new address works, the old one no longer does.
        self.assertEqual(Browser(STORE).post("/api/v1/auth/login", {"email": new,
                                                                   "password": "надёжный-пароль-2026"})[0], 200)
        self.assertEqual(Browser(STORE).post("/api/v1/auth/login", {"email": old,
                                                                   "password": "надёжный-пароль-2026"})[0], 401)
        # The registration's link, sent to the old address, no longer confirms anything.
        [first] = links(old, "Подтвердите адрес почты")
        self.assertEqual(Browser(STORE).post("/api/v1/auth/verify-email", {"token": first})[0], 422)


if __name__ == "__main__":
    unittest.main()
