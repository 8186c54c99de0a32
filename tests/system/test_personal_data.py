"""Personal data through the gateway (152-ФЗ, ADR 0021): «Скачать мои данные» holds what every service keeps about
the customer and nothing of anyone else's; «Удалить аккаунт» needs the password, ends every session, stops the
rentals, empties the cart, erases the emails' addresses and texts, frees the address, and leaves the ledger whole."""
import unittest
import uuid

from harness import (Browser, Store, check_invariant, customer, mails_to, mauser_id, soon, sql, top_up,
                     wait_for)

STORE = None
PASSWORD = "надёжный-пароль-2026"


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def buyer(name):
    """A customer with 1000 ₽ topped up, one paid rental of Маузер starting in three hours and a cart line; the
    customer's browser, address, user id and order."""
    b = customer(STORE, name)
    me = b.get("/api/v1/me")[1]
    top_up(b, 1000)
    pid = mauser_id(b)
    status, order, _ = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "starts_at": soon(3), "period": 48}]},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, order
    status, paid, _ = b.post(f"/api/v1/orders/{order['id']}/confirm")
    assert (status, paid["status"]) == (200, "paid"), paid
    status, cart, _ = b.post("/api/v1/cart/items", {"premiere_id": pid})
    assert status == 201, cart
    # The purchase email has gone out (so the export and the erasure both have a delivery to show).
    assert wait_for(lambda: any(str(m["Subject"]).startswith("Премьера оплачена")
                                for m in mails_to(STORE, me["email"])), 30)
    return b, me["email"], me["id"], order


class Export(unittest.TestCase):
    def test_the_download_holds_every_services_data_about_the_customer_and_no_one_elses(self):
        a, a_email, a_id, a_order = buyer("Выгрузка")
        b, b_email, _, b_order = buyer("Сосед")
        status, data, headers = a.get("/api/v1/me/data")
        self.assertEqual(status, 200, data)
        self.assertIn("attachment", headers["content-disposition"])
        self.assertIn("chance-video-data-", headers["content-disposition"])
        self.assertIn("no-store", headers["cache-control"])
        self.assertEqual((data["account"]["id"], data["account"]["email"]), (a_id, a_email))
        self.assertIsNotNone(data["account"]["consented_at"])  # the consent given at registration, with its time
        self.assertEqual(len(data["sessions"]), 1)
        self.assertEqual([o["id"] for o in data["premieres"]["orders"]], [a_order["id"]])
        self.assertEqual([r["title"] for r in data["premieres"]["rentals"]], ["Маузер"])
        self.assertEqual(len(data["premieres"]["cart"]["items"]), 1)
        self.assertEqual(data["billing"]["balance"], 100000 - a_order["total"])
        self.assertEqual(sorted(t["type"] for t in data["billing"]["transactions"]), ["top_up", "withdraw"])
        self.assertEqual([p["status"] for p in data["billing"]["payments"]], ["succeeded"])
        emails = data["notifications"]["messages"]
        self.assertTrue(emails and all(m["recipient"] == a_email for m in emails if m["channel"] == "email"), emails)
        self.assertTrue(any(m["template"] == "purchase_confirmed" for m in emails), emails)
        self.assertIn("email", data["notifications"]["preferences"])
        # Nothing of the other customer's.
        raw = str(data)
        self.assertNotIn(b_email, raw)
        self.assertNotIn(b_order["id"], raw)
        # Nor anyone's for a visitor; and a service's own route is not reachable through the gateway (the path is
        # the store's page, not the data).
        self.assertEqual(Browser(STORE).get("/api/v1/me/data")[0], 401)
        _, page, headers = a.get(f"/internal/users/{a_id}/data")
        self.assertFalse(headers["content-type"].startswith("application/json"), page)


class Deletion(unittest.TestCase):
    def test_bad_requests_change_nothing(self):
        b = customer(STORE, "Передумал")
        for body, field in (({"password": "не-тот-пароль-2026"}, "password"), ({}, "password"),
                            ({"password": 5}, "password")):
            status, problem, headers = b.post("/api/v1/me/delete", body)
            self.assertIn(status, (400, 422), problem)
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
            self.assertEqual(problem["errors"][0]["field"], field, problem)
        self.assertEqual(b.post("/api/v1/me/delete", "not json")[0], 400)
        self.assertEqual(b.request("POST", "/api/v1/me/delete", {"password": PASSWORD}, csrf=False)[0], 403)
        self.assertEqual(b.request("POST", "/api/v1/me/delete", {"password": PASSWORD},
                                   headers={"Origin": "http://evil.example"})[0], 403)
        self.assertEqual(Browser(STORE).post("/api/v1/me/delete", {"password": PASSWORD})[0], 401)
        self.assertEqual(b.get("/api/v1/me")[0], 200)  # still here

    def test_a_deleted_account_keeps_no_personal_data_and_the_ledger_stays_whole(self):
        b, email, user, order = buyer("Удаляемый")
        other = Browser(STORE)
        other.login(email, PASSWORD)  # a second device
        balance_before = sql(STORE, "billing", f"SELECT balance FROM accounts WHERE user_id = '{user}'")
        ledger_before = sql(STORE, "billing", f"SELECT count(*) FROM transactions WHERE user_id = '{user}'")

        status, _, headers = b.post("/api/v1/me/delete", {"password": PASSWORD})
        self.assertEqual(status, 204)
        self.assertIn("Max-Age=0", headers["set-cookie"])
        self.assertEqual(b.get("/api/v1/me")[0], 401)
        self.assertEqual(other.get("/api/v1/me")[0], 401)  # every session of the account ended
        status, _, _ = Browser(STORE).post("/api/v1/auth/login", {"email": email, "password": PASSWORD})
        self.assertEqual(status, 401)

        # Identity: nothing that names the person.
        row = sql(STORE, "identity", f"SELECT email, name, coalesce(phone, '-'), password_hash = '', "
                                     f"deleted_at IS NOT NULL FROM users WHERE id = {int(user)}")
        self.assertEqual(row, f"deleted-{user}@deleted.invalid|Удалённый покупатель|-|t|t")
        # Premieres (after account.deleted): the rental stopped without a refund, the cart empty.
        self.assertTrue(wait_for(lambda: sql(STORE, "premieres",
                                             f"SELECT count(*) FROM rentals WHERE user_id = '{user}' "
                                             f"AND cancelled_at IS NULL") == "0"))
        self.assertEqual(sql(STORE, "premieres", "SELECT count(*) FROM rental_events WHERE order_id = "
                                                 f"'{order['id']}' AND type = 'stopped_account_deleted'"), "1")
        self.assertEqual(sql(STORE, "premieres", f"SELECT count(*) FROM cart_items WHERE user_id = '{user}'"), "0")
        self.assertEqual(sql(STORE, "premieres", f"SELECT status FROM orders WHERE id = '{order['id']}'"), "paid")
        # Notifications: the emails are kept as facts (template, status) without address or text; no settings.
        self.assertTrue(wait_for(lambda: sql(STORE, "notifications",
                                             f"SELECT count(*) FROM deliveries WHERE user_id = '{user}' AND "
                                             f"(recipient <> '' OR body_text <> '' OR subject <> '')") == "0"))
        self.assertNotEqual(sql(STORE, "notifications", f"SELECT count(*) FROM deliveries WHERE user_id = '{user}'"),
                            "0")
        self.assertEqual(sql(STORE, "notifications", f"SELECT count(*) FROM in_app WHERE user_id = '{user}'"), "0")
        # Billing: the ledger's records and the balance stay as they were; the ledger balances.
        self.assertEqual(sql(STORE, "billing", f"SELECT balance FROM accounts WHERE user_id = '{user}'"),
                         balance_before)
        self.assertEqual(sql(STORE, "billing", f"SELECT count(*) FROM transactions WHERE user_id = '{user}'"),
                         ledger_before)
        check_invariant(self, STORE)

        # The address is free for a new account, which starts empty.
        again = Browser(STORE)
        status, created, _ = again.post("/api/v1/auth/register", {"email": email, "password": PASSWORD,
                                                                  "name": "Новый", "consent": True})
        self.assertEqual(status, 201, created)
        self.assertNotEqual(created["user"]["id"], user)
        self.assertEqual(again.get("/api/v1/rentals")[1]["items"], [])
        self.assertEqual(again.get("/api/v1/orders")[1]["items"], [])

    def test_registration_needs_consent(self):
        body = {"email": f"nc-{uuid.uuid4().hex[:8]}@example.ru", "password": PASSWORD, "name": "Без согласия"}
        for consent in (None, False, "yes"):
            sent = dict(body, consent=consent) if consent is not None else body
            status, problem, _ = Browser(STORE).post("/api/v1/auth/register", sent)
            self.assertEqual((status, problem["errors"][0]["field"]), (400, "consent"), (consent, problem))
        self.assertEqual(sql(STORE, "identity", f"SELECT count(*) FROM users WHERE email = '{body['email']}'"), "0")


if __name__ == "__main__":
    unittest.main()
