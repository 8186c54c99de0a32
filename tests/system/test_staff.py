"""The store's staff through the gateway (issue 21, ADR 0022): roles (support separate from admin, granted by an admin,
applied at the next sign-in), the customer lookup by address or order, refunds (to the balance, capped by what was
paid and by a support member's limit, once per key, one of two at once, shown in «Мои заказы» with a receipt and
emailed, the ledger balanced) and the sales report (JSON and CSV, its totals equal to the ledger's). And the theatre's
box office (ADR 0028): vouchers issued with paid rentals, checked and redeemed once by that theatre's staff only."""
import concurrent.futures
import datetime
import unittest
import urllib.parse
import uuid

from harness import Browser, Store, check_invariant, customer, mails_to, mauser_id, soon, sql, top_up, wait_for

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def staff(email, password):
    b = Browser(STORE)
    b.login(email, password)
    return b


def admin():
    return staff("admin@chance.local", "admin-password-2026")


def support():
    return staff("support@chance.local", "support-password-2026")


def buyer(name, rubles=1000):
    """A customer who paid one 48-hour rental of Маузер: (browser, email, order, rental id)."""
    b = customer(STORE, name)
    top_up(b, rubles)
    status, order, _ = b.post("/api/v1/orders", {"items": [{"premiere_id": mauser_id(b), "starts_at": soon(3),
                                                            "period": 48}]},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, order
    status, paid, _ = b.post(f"/api/v1/orders/{order['id']}/confirm")
    assert (status, paid["status"]) == (200, "paid"), paid
    rental = b.get("/api/v1/rentals")[1]["items"][0]
    return b, b.get("/api/v1/me")[1]["email"], paid, rental["id"]


def refund(who, order_id, body, key=None):
    return who.post(f"/api/v1/admin/orders/{order_id}/refunds", body,
                    headers={"Idempotency-Key": key or str(uuid.uuid4())})


def balance(b):
    return b.get("/api/v1/billing/amount/")[1]["amount"]


class Roles(unittest.TestCase):
    def test_an_admin_grants_support_which_applies_at_the_next_sign_in(self):
        b = customer(STORE, "Будущая поддержка")
        me = b.get("/api/v1/me")[1]
        a = admin()
        status, problem, _ = b.request("PATCH", f"/api/v1/admin/users/{me['id']}/role", {"role": "admin"})
        self.assertEqual(status, 403, problem)  # a customer cannot
        for body in ({"role": "owner"}, {}, {"role": 5}):
            status, problem, _ = a.request("PATCH", f"/api/v1/admin/users/{me['id']}/role", body)
            self.assertEqual((status, problem["errors"][0]["field"]), (400, "role"), problem)
        self.assertEqual(a.request("PATCH", "/api/v1/admin/users/999999/role", {"role": "support"})[0], 404)
        own = a.get("/api/v1/me")[1]["id"]
        self.assertEqual(a.request("PATCH", f"/api/v1/admin/users/{own}/role", {"role": "customer"})[0], 409)
        status, user, _ = a.request("PATCH", f"/api/v1/admin/users/{me['id']}/role", {"role": "support"})
        self.assertEqual((status, user["role"]), (200, "support"), user)
        self.assertEqual(b.get("/api/v1/me")[0], 401)  # signed out: the role applies from the next sign-in
        b.login(me["email"], "надёжный-пароль-2026")
        self.assertEqual(b.get("/api/v1/me")[1]["role"], "support")
        self.assertEqual(b.get(f"/api/v1/admin/customers?email={me['email']}")[0], 200)
        self.assertEqual(b.get("/api/v1/admin/reports/sales?from=2026-01-01&to=2026-01-31")[0], 403)  # admin's only


class Lookup(unittest.TestCase):
    def test_support_finds_a_customer_by_address_or_order_and_customers_cannot(self):
        b, email, order, _ = buyer("Ищут")
        s = support()
        for query in (f"email={email.upper()}", f"order={order['id']}"):
            status, found, headers = s.get("/api/v1/admin/customers?" + query)
            self.assertEqual(status, 200, found)
            self.assertIn("no-store", headers["cache-control"])
            self.assertEqual(found["account"]["email"], email)
            self.assertEqual([o["id"] for o in found["premieres"]["orders"]], [order["id"]])
            self.assertEqual(found["billing"]["balance"], balance(b))
            self.assertTrue(found["sessions"])
        self.assertEqual(s.get("/api/v1/admin/customers?email=nobody@example.ru")[0], 404)
        self.assertEqual(s.get(f"/api/v1/admin/customers?order={uuid.uuid4()}")[0], 404)
        for query in ("", "email=", "order=not-a-uuid", f"email={email}&order={order['id']}", "email=x"):
            status, problem, _ = s.get("/api/v1/admin/customers?" + query)
            self.assertEqual(status, 400, (query, problem))
            self.assertIn(problem["errors"][0]["field"], ("email", "order"))
        other = customer(STORE, "Любопытный")
        self.assertEqual(other.get(f"/api/v1/admin/customers?email={email}")[0], 403)
        self.assertEqual(Browser(STORE).get(f"/api/v1/admin/customers?email={email}")[0], 401)


class Refunds(unittest.TestCase):
    def test_a_refund_reaches_the_balance_the_history_a_receipt_and_an_email_once(self):
        b, email, order, rental = buyer("Возврат")
        before = balance(b)
        s = support()
        key = str(uuid.uuid4())
        body = {"amount": 10000, "reason": "Плохо работал звук", "rental_id": rental}
        status, done, _ = refund(s, order["id"], body, key)
        self.assertEqual(status, 201, done)
        self.assertEqual((done["amount"], done["rental_id"], done["refunded"]), (10000, rental, 10000))
        self.assertEqual(done["refundable"], order["total"] - 10000)
        self.assertEqual(done["balance"], before + 10000)
        self.assertEqual(balance(b), before + 10000)
        # The same key again: the same answer, nothing moves twice; with another body, a conflict.
        status, again, _ = refund(s, order["id"], body, key)
        self.assertEqual((status, again["id"]), (201, done["id"]), again)
        self.assertEqual(refund(s, order["id"], dict(body, amount=5000), key)[0], 409)
        self.assertEqual(balance(b), before + 10000)
        # The customer sees it in «Мои заказы», with a receipt, and is emailed the reason.
        [o] = b.get("/api/v1/orders")[1]["items"]
        movement = o["movements"][-1]
        self.assertEqual((movement["kind"], movement["amount"]), ("refund", 10000), o)
        self.assertIn("Плохо работал звук", movement["reason"])
        self.assertEqual(o["refunded"], 10000)
        status, html, _ = b.get(movement["receipt_url"], headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertIn("Возврат прихода", html)
        self.assertIn("Плохо работал звук", html)
        mails = wait_for(lambda: [m for m in mails_to(STORE, email) if str(m["Subject"]).startswith("Возврат")])
        self.assertEqual([str(m["Subject"]) for m in mails], ["Возврат по аренде «Маузер»: 100,00\u00a0₽"])
        # Audited: who, when and why, in the order's history.
        staff_id = s.get("/api/v1/me")[1]["id"]
        row = sql(STORE, "premieres", "SELECT payload ->> 'staff_id', payload ->> 'staff_role', payload ->> 'reason' "
                                      f"FROM rental_events WHERE type = 'staff_refund' AND order_id = '{order['id']}'")
        self.assertEqual(row, f"{staff_id}|support|Плохо работал звук")
        check_invariant(self, STORE)

    def test_caps_the_support_limit_and_bad_requests_change_nothing(self):
        b, _, order, rental = buyer("Лимит", rubles=3000)
        before = balance(b)
        s, a = support(), admin()
        # More than support's 1000 ₽ at once is an admin's to refund.
        status, problem, _ = refund(s, order["id"], {"amount": 100001, "reason": "Большой возврат"})
        self.assertEqual((status, problem["errors"][0]["field"]), (403, "amount"), problem)
        status, problem, _ = refund(a, order["id"], {"amount": order["total"] + 1, "reason": "Больше оплаченного"})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "amount"), problem)
        other_rental = buyer("Чужая аренда")[3]
        status, problem, _ = refund(a, order["id"], {"amount": 100, "reason": "Не та аренда", "rental_id": other_rental})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "rental_id"), problem)
        for body, field in (({"reason": "Без суммы"}, "amount"), ({"amount": 0, "reason": "Ноль"}, "amount"),
                            ({"amount": 100}, "reason"), ({"amount": 100, "reason": "ok"}, "reason"),
                            ({"amount": 100, "reason": "Строка", "rental_id": "x"}, "rental_id")):
            status, problem, _ = refund(a, order["id"], body)
            self.assertEqual((status, problem["errors"][0]["field"]), (400, field), (body, problem))
        status, problem, _ = a.post(f"/api/v1/admin/orders/{order['id']}/refunds", {"amount": 100, "reason": "Ключ"})
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "Idempotency-Key"), problem)
        self.assertEqual(refund(a, str(uuid.uuid4()), {"amount": 100, "reason": "Нет заказа"})[0], 404)
        self.assertEqual(refund(b, order["id"], {"amount": 100, "reason": "Сам себе"})[0], 403)
        self.assertEqual(balance(b), before)  # nothing moved
        # The admin may refund it all; after that nothing is left.
        status, done, _ = refund(a, order["id"], {"amount": order["total"], "reason": "Показ сорвался"})
        self.assertEqual((status, done["refundable"]), (201, 0), done)
        self.assertEqual(refund(a, order["id"], {"amount": 1, "reason": "Ещё копейка"})[0], 422)
        self.assertEqual(balance(b), before + order["total"])
        check_invariant(self, STORE)

    def test_two_refunds_of_one_order_at_once_give_back_once(self):
        b, _, order, _ = buyer("Гонка")
        before = balance(b)
        a = admin()
        body = {"amount": order["total"], "reason": "Двойной клик"}
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: refund(a, order["id"], body)[0], range(4)))
        self.assertEqual(sorted(answers), [201, 422, 422, 422], answers)
        self.assertEqual(balance(b), before + order["total"])
        self.assertEqual(sql(STORE, "billing", f"SELECT count(*) FROM transactions WHERE order_id = '{order['id']}' "
                                               "AND type = 'refund'"), "1")
        check_invariant(self, STORE)


class SalesReport(unittest.TestCase):
    def test_the_reports_totals_are_the_ledgers_in_json_and_csv(self):
        b, _, order, rental = buyer("Отчёт")
        refund(admin(), order["id"], {"amount": 5000, "reason": "Для отчёта", "rental_id": rental})
        b.request("PATCH", f"/api/v1/rentals/{rental}", {"period": 24})  # a change's refund too
        a = admin()
        today = datetime.date.today()
        span = f"from={(today - datetime.timedelta(days=30)).isoformat()}&to={(today + datetime.timedelta(days=1)).isoformat()}"
        debited = int(sql(STORE, "billing", "SELECT coalesce(sum(amount), 0) FROM transactions WHERE type = 'withdraw'"))
        credited = int(sql(STORE, "billing", "SELECT coalesce(sum(amount), 0) FROM transactions WHERE type = 'refund'"))
        for by in ("day", "premiere", "theatre"):
            status, report, headers = a.get(f"/api/v1/admin/reports/sales?{span}&by={by}")
            self.assertEqual(status, 200, report)
            self.assertIn("no-store", headers["cache-control"])
            t = report["totals"]
            self.assertEqual((t["revenue"], t["refunds"], t["net"]), (debited, credited, debited - credited), by)
            self.assertEqual(sum(r["revenue"] for r in report["rows"]), debited)
            self.assertGreater(t["rentals"], 0)
        mauser = [r for r in a.get(f"/api/v1/admin/reports/sales?{span}&by=premiere")[1]["rows"]
                  if r["label"] == "Маузер"]
        self.assertEqual(len(mauser), 1)
        status, csv, headers = a.get(f"/api/v1/admin/reports/sales?{span}&by=premiere&format=csv",
                                     headers={"Accept": "text/csv"})
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"), headers)
        self.assertIn("attachment", headers["content-disposition"])
        lines = csv.lstrip("\ufeff").strip().split("\r\n")
        self.assertEqual(lines[0], "Премьера;Аренды;Выручка, ₽;Возвраты, ₽;Скидки, ₽;Итого, ₽")
        total = lines[-1].split(";")
        rub = lambda k: f"{k // 100},{k % 100:02d}"
        self.assertEqual((total[0], total[2], total[3], total[5]),
                         ("Итого", rub(debited), rub(credited), rub(debited - credited)))
        # An empty period is all zeros; bad parameters name their field.
        status, empty, _ = a.get("/api/v1/admin/reports/sales?from=2001-01-01&to=2001-01-31")
        self.assertEqual((status, empty["rows"], empty["totals"]["revenue"]), (200, [], 0))
        for query, field in (("to=2026-01-01", "from"), ("from=2026-02-30&to=2026-03-01", "from"),
                             ("from=2026-03-01&to=2026-02-01", "to"), ("from=2024-01-01&to=2026-01-01", "to"),
                             ("from=2026-01-01&to=2026-01-02&by=week", "by"),
                             ("from=2026-01-01&to=2026-01-02&format=xml", "format")):
            status, problem, _ = a.get("/api/v1/admin/reports/sales?" + query)
            self.assertEqual((status, problem["errors"][0]["field"]), (400, field), (query, problem))


if __name__ == "__main__":
    unittest.main()


def theatre_staff(theatre):
    """A new account made theatre staff of `theatre` by the admin (its sessions end: it signs in again)."""
    b = customer(STORE, "Кассир")
    me = b.get("/api/v1/me")[1]
    a = admin()
    status, user, _ = a.request("PATCH", f"/api/v1/admin/users/{me['id']}/role", {"role": "theatre_staff"})
    assert status == 200, user
    status, assigned, _ = a.request("PUT", f"/api/v1/admin/theatre-staff/{me['id']}", {"theatre": theatre})
    assert status == 200, assigned
    return staff(me["email"], "надёжный-пароль-2026")


class TheatreVouchers(unittest.TestCase):
    """ADR 0028: the online price counts toward a ticket at the theatre's box office."""

    @classmethod
    def setUpClass(cls):
        a = admin()
        cls.mauser = mauser_id(a)
        until = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, terms, _ = a.request("PUT", f"/api/v1/theatre/premieres/{cls.mauser}/voucher", {"valid_until": until})
        assert status == 200, terms
        cls.box_office = theatre_staff("Театр на Таганке")
        cls.elsewhere = theatre_staff("Театр Наций")

    def redeem(self, b, code, key=None):
        return b.post(f"/api/v1/vouchers/{code}/redeem", {}, headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def test_a_paid_rental_carries_a_voucher_the_box_office_redeems_once(self):
        b, email, order, rental_id = buyer("С ваучером")
        rental = next(r for r in b.get("/api/v1/rentals")[1]["items"] if r["id"] == rental_id)
        voucher = rental["voucher"]
        self.assertEqual((voucher["amount"], voucher["status"]), (rental["amount"], "active"), voucher)
        self.assertRegex(voucher["code"], r"^[0-9A-F]{4}(-[0-9A-F]{4}){3}$")
        mails = wait_for(lambda: [m for m in mails_to(STORE, email) if "оплачена" in str(m["Subject"])])
        self.assertIn(voucher["code"], mails[0].get_body(preferencelist=("plain",)).get_content())
        code = voucher["code"]
        # Only theatre staff, and only their theatre's vouchers; the code as typed, with or without dashes.
        self.assertEqual(Browser(STORE).get(f"/api/v1/vouchers/{code}")[0], 401)
        self.assertEqual(b.get(f"/api/v1/vouchers/{code}")[0], 403)
        self.assertEqual(self.elsewhere.get(f"/api/v1/vouchers/{code}")[0], 404)
        self.assertEqual(self.redeem(self.elsewhere, code)[0], 404)
        status, problem, _ = self.box_office.get("/api/v1/vouchers/not-a-code")
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "code"))
        status, found, _ = self.box_office.get(f"/api/v1/vouchers/{code.replace('-', '').lower()}")
        self.assertEqual((status, found["status"], found["amount"], found["premiere"]["id"]),
                         (200, "active", rental["amount"], self.mauser), found)
        # Two redemptions at once: one is, the other is told it was used; the first key again answers the same.
        keys = [str(uuid.uuid4()), str(uuid.uuid4())]
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda k: self.redeem(self.box_office, code, k), keys))
        self.assertEqual(sorted(a[0] for a in answers), [200, 409], answers)
        winner = keys[[a[0] for a in answers].index(200)]
        again = self.redeem(self.box_office, code, winner)
        self.assertEqual((again[0], again[1]["status"]), (200, "redeemed"))
        self.assertEqual(self.redeem(self.box_office, code)[1]["type"].rsplit("/", 1)[-1], "voucher-redeemed")
        # A redeemed voucher's rental is not refunded by a cancel: the theatre has given its value.
        before = b.get("/api/v1/billing/amount/")[1]["amount"]
        status, problem, _ = b.post(f"/api/v1/rentals/{rental_id}/cancel")
        self.assertEqual((status, problem["type"].rsplit("/", 1)[-1]), (409, "voucher-redeemed"))
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], before)
        mine = next(r for r in b.get("/api/v1/rentals")[1]["items"] if r["id"] == rental_id)
        self.assertEqual((mine["status"], mine["voucher"]["status"]), ("upcoming", "redeemed"))

    def test_a_cancelled_rentals_voucher_is_void_and_each_theatre_sets_its_own_terms(self):
        b, _, _, rental_id = buyer("Отменивший")
        code = next(r for r in b.get("/api/v1/rentals")[1]["items"] if r["id"] == rental_id)["voucher"]["code"]
        self.assertEqual(b.post(f"/api/v1/rentals/{rental_id}/cancel")[0], 200)
        self.assertEqual(self.box_office.get(f"/api/v1/vouchers/{code}")[1]["status"], "void")
        status, problem, _ = self.redeem(self.box_office, code)
        self.assertEqual((status, problem["type"].rsplit("/", 1)[-1]), (409, "voucher-void"))
        # Terms: the box office lists and sets its own theatre's premieres, never another's.
        mine = self.box_office.get("/api/v1/theatre/premieres")[1]
        self.assertEqual(mine["theatre"], "Театр на Таганке")
        self.assertIn(self.mauser, [p["id"] for p in mine["items"]])
        other = int(sql(STORE, "premieres", "SELECT id FROM premieres WHERE theatre <> 'Театр на Таганке' LIMIT 1"))
        until = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.assertEqual(self.box_office.request("PUT", f"/api/v1/theatre/premieres/{other}/voucher",
                                                 {"valid_until": until})[0], 404)
        for body, status, field in (({}, 400, "valid_until"), ({"valid_until": "скоро"}, 400, "valid_until"),
                                    ({"valid_until": "2020-01-01T00:00:00Z"}, 422, "valid_until")):
            got, problem, _ = self.box_office.request("PUT", f"/api/v1/theatre/premieres/{self.mauser}/voucher", body)
            self.assertEqual((got, problem["errors"][0]["field"]), (status, field), body)
        self.assertEqual(b.request("PUT", f"/api/v1/theatre/premieres/{self.mauser}/voucher",
                                   {"valid_until": until})[0], 403)
        # Without terms no voucher is issued.
        self.assertEqual(self.box_office.request("DELETE", f"/api/v1/theatre/premieres/{other}/voucher")[0], 404)
        self.assertEqual(admin().get("/api/v1/theatre/premieres")[0], 400)  # an admin names the theatre
        status, theirs, _ = admin().get("/api/v1/theatre/premieres?theatre=" + urllib.parse.quote("Театр Наций"))
        self.assertEqual(status, 200)
        self.assertTrue(theirs["items"])
        self.assertEqual(admin().request("PUT", "/api/v1/admin/theatre-staff/1", {"theatre": "Нет такого"})[0], 422)

    def test_the_box_office_adds_and_cancels_its_own_theatres_shows_and_buyers_are_refunded(self):
        """ADR 0027/0028: a theatre's staff manage the live shows of their own theatre's premieres only."""
        at = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=6)).strftime("%Y-%m-%dT%H:45:00Z")
        path = f"/api/v1/theatre/premieres/{self.mauser}/shows"
        self.assertEqual(self.elsewhere.post(path, {"starts_at": at, "capacity": 4})[0], 404)
        self.assertEqual(self.elsewhere.get(path)[0], 404)
        status, problem, _ = self.box_office.post(path, {"starts_at": at, "capacity": "много"})
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "capacity"))
        status, show, _ = self.box_office.post(path, {"starts_at": at, "capacity": 4})
        self.assertEqual(status, 201, show)
        buyers = [customer(STORE, f"Касса{i}") for i in range(2)]
        for c in buyers:
            top_up(c, 1000)
            status, body, _ = c.post("/api/v1/rent/", {"id": self.mauser, "period": 24, "show_id": show["id"]},
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
            self.assertEqual(status, 200, body)
        listed = {x["id"]: x for x in self.box_office.get(path)[1]["items"]}
        self.assertEqual(listed[show["id"]]["seats_taken"], 2)
        # Another theatre's staff and customers cannot cancel it; the box office can, once.
        self.assertEqual(self.elsewhere.post(f"/api/v1/theatre/shows/{show['id']}/cancel")[0], 404)
        self.assertEqual(buyers[0].post(f"/api/v1/theatre/shows/{show['id']}/cancel")[0], 403)
        self.assertEqual(self.box_office.post(f"/api/v1/admin/shows/{show['id']}/cancel")[0], 403)
        status, cancelled, _ = self.box_office.post(f"/api/v1/theatre/shows/{show['id']}/cancel")
        self.assertEqual((status, cancelled["refunded"], cancelled["pending"]), (200, 2, 0), cancelled)
        self.assertEqual(self.box_office.post(f"/api/v1/theatre/shows/{show['id']}/cancel")[0], 409)
        # The store keeps who added and who cancelled it.
        staff_id = self.box_office.get("/api/v1/me")[1]["id"]
        self.assertEqual(sql(STORE, "premieres", f"SELECT created_by || ',' || cancelled_by FROM live_shows "
                                                 f"WHERE id = {show['id']}"), f"{staff_id},{staff_id}")
        for c in buyers:
            self.assertEqual(c.get("/api/v1/billing/amount/")[1]["amount"], 100000)
            email = c.get("/api/v1/me")[1]["email"]
            self.assertTrue(wait_for(lambda e=email: [m for m in mails_to(STORE, e) if "отменён" in str(m["Subject"])]))
        listed = {x["id"]: x for x in self.box_office.get(path)[1]["items"]}
        self.assertIsNotNone(listed[show["id"]]["cancelled_at"])

    def test_a_vouchers_value_follows_the_rentals_changes_until_it_is_redeemed(self):
        b, _, _, rental_id = buyer("Меняющий")
        mine = lambda: next(r for r in b.get("/api/v1/rentals")[1]["items"] if r["id"] == rental_id)
        rental = mine()
        self.assertEqual(rental["voucher"]["amount"], rental["amount"])
        # Shortened: part of the price comes back, and the voucher is worth what the rental costs now.
        status, changed, _ = b.request("PATCH", f"/api/v1/rentals/{rental_id}", {"period": 24})
        self.assertEqual(status, 200, changed)
        self.assertLess(changed["amount"], rental["amount"])
        self.assertEqual(mine()["voucher"]["amount"], changed["amount"])
        code = mine()["voucher"]["code"]
        self.assertEqual(self.box_office.get(f"/api/v1/vouchers/{code}")[1]["amount"], changed["amount"])
        # Redeemed: the theatre gave its value, so a change that would give money back is refused and moves nothing;
        # one that charges more is still allowed, the voucher keeping the value it was redeemed at.
        self.assertEqual(self.redeem(self.box_office, code)[0], 200)
        balance = b.get("/api/v1/billing/amount/")[1]["amount"]
        status, problem, _ = b.request("PATCH", f"/api/v1/rentals/{rental_id}", {"period": 12})
        self.assertEqual((status, problem["type"].rsplit("/", 1)[-1]), (409, "voucher-redeemed"), problem)
        self.assertEqual((b.get("/api/v1/billing/amount/")[1]["amount"], mine()["period"]), (balance, 24))
        status, longer, _ = b.request("PATCH", f"/api/v1/rentals/{rental_id}", {"period": 48})
        self.assertEqual(status, 200, longer)
        self.assertEqual((mine()["voucher"]["amount"], mine()["voucher"]["status"]), (changed["amount"], "redeemed"))
        check_invariant(self, STORE)

    def test_lookups_are_limited_per_account(self):
        statuses = [self.elsewhere.get(f"/api/v1/vouchers/{uuid.uuid4().hex[:16]}")[0] for _ in range(40)]
        self.assertIn(429, statuses)
        self.assertEqual(set(statuses) - {404, 429}, set())
