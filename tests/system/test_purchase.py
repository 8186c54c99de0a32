"""The customer's path across premieres and billing: top up through the sandbox provider, cart, order,
confirm (and the insufficient-funds detour), "Мои премьеры", idempotent replays, cancellation refund."""
import datetime
import threading
import time
import unittest
import uuid

from harness import Store, customer, mails_to, mauser_id, soon, sql, top_up, wait_for

STORE = None


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


class Purchase(unittest.TestCase):
    def test_top_up_cart_order_confirm_and_my_premieres(self):
        b = customer(STORE, "Покупатель")
        status, _, headers, payment = top_up(b, 1000)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], f"/checkout?payment={payment}")
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 100000)
        pid = mauser_id(b)
        status, cart, _ = b.post("/api/v1/cart/items", {"premiere_id": pid})
        self.assertEqual(status, 201, cart)
        b.post("/api/v1/cart/items", {"premiere_id": pid})  # not duplicated
        self.assertEqual(len(b.get("/api/v1/cart")[1]["items"]), 1)
        key = str(uuid.uuid4())
        order_body = {"items": [{"premiere_id": pid, "starts_at": soon(), "period": 48}]}
        status, order, _ = b.post("/api/v1/orders", order_body, headers={"Idempotency-Key": key})
        self.assertEqual(status, 201, order)
        self.assertEqual((order["status"], order["total"], order["next"]), ("pending_payment", 71880, "confirm"))
        again = b.post("/api/v1/orders", order_body, headers={"Idempotency-Key": key})[1]
        self.assertEqual(again["id"], order["id"])
        changed = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "starts_at": soon(), "period": 12}]},
                         headers={"Idempotency-Key": key})
        self.assertEqual(changed[0], 422)
        status, paid, _ = b.post(f"/api/v1/orders/{order['id']}/confirm")
        self.assertEqual((status, paid["status"], paid["balance"]), (200, "paid", 100000 - 71880), paid)
        self.assertEqual(b.post(f"/api/v1/orders/{order['id']}/confirm")[1]["balance"], 100000 - 71880)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 100000 - 71880)  # debited once
        rentals = b.get("/api/v1/rentals")[1]["items"]
        self.assertEqual([(r["title"], r["status"], r["period"]) for r in rentals], [("Маузер", "upcoming", 48)])
        self.assertEqual(b.get("/api/v1/cart")[1]["items"], [])
        history = b.get("/api/v1/billing/history")[1]["items"]
        self.assertEqual([h["type"] for h in history], ["withdraw", "top_up"])

    def test_an_order_without_a_start_opens_its_window_when_it_is_paid(self):
        # «Начать сразу»: placed now, paid after a top-up through the acquirer; the window opens at the payment,
        # so the customer can watch at once and the purchase email says so (no «начался» email follows).
        b = customer(STORE, "Сразу")
        me = b.get("/api/v1/me")[1]
        pid = mauser_id(b)
        status, order, _ = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "period": 12}]},
                                  headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 201, order)
        self.assertEqual((order["next"], order["items"][0]["starts_on_payment"]), ("top_up", True))
        placed = parse_time(order["items"][0]["starts_at"])
        time.sleep(2.1)  # the payment comes later than the order
        top_up(b, 480)
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        status, paid, _ = b.post(f"/api/v1/orders/{order['id']}/confirm")
        self.assertEqual((status, paid["status"]), (200, "paid"), paid)
        item = paid["items"][0]
        opens, closes = parse_time(item["starts_at"]), parse_time(item["ends_at"])
        self.assertGreaterEqual(opens, before)
        self.assertGreaterEqual((opens - placed).total_seconds(), 2)
        self.assertEqual(closes - opens, datetime.timedelta(hours=12))
        self.assertEqual(b.get(f"/api/v1/orders/{order['id']}")[1]["items"][0]["starts_at"], item["starts_at"])
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        self.assertEqual((rental["status"], rental["starts_at"], rental["ends_at"]),
                         ("active", item["starts_at"], item["ends_at"]))
        mail = wait_for(lambda: [m for m in mails_to(STORE, me["email"]) if "оплачена" in str(m["Subject"])])
        text = mail[0].get_body(preferencelist=("plain",)).get_content()
        self.assertIn("Окно просмотра уже открыто, смотреть: http", text)
        self.assertIn(f"/watch/{rental['id']}", text)
        time.sleep(1.5)  # scheduler passes later: the purchase email was the «window opened» notice
        self.assertEqual([m for m in mails_to(STORE, me["email"]) if "начался" in str(m["Subject"])], [])

    def test_a_rent_retried_without_a_start_is_the_same_rent(self):
        # Without a start the request is the same whenever it is retried (it used to carry the time of each try).
        b = customer(STORE, "Повтор")
        top_up(b, 1000)
        key = str(uuid.uuid4())
        body = {"id": mauser_id(b), "period": 24}
        first = b.post("/api/v1/rent/", body, headers={"Idempotency-Key": key})
        time.sleep(1.1)
        again = b.post("/api/v1/rent/", body, headers={"Idempotency-Key": key})
        self.assertEqual((first[0], again[0]), (200, 200), again)
        self.assertEqual(again[1]["id"], first[1]["id"])
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 100000 - first[1]["total"])
        self.assertEqual(len(b.get("/api/v1/rentals")[1]["items"]), 1)

    def test_insufficient_funds_then_top_up_then_confirm(self):
        b = customer(STORE, "Недостача")
        pid = mauser_id(b)
        status, order, _ = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "starts_at": soon(), "period": 24}]},
                                  headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual((order["next"], order["shortfall"]), ("top_up", 47920))
        status, problem, headers = b.post(f"/api/v1/orders/{order['id']}/confirm")
        self.assertEqual(status, 402)
        self.assertEqual(problem["shortfall"], 47920)
        self.assertTrue(headers["content-type"].startswith("application/problem+json"))
        top_up(b, 479, card="4000 0000 0000 3220", code="123456")  # with the confirmation step
        top_up(b, 1)
        self.assertEqual(b.get(f"/api/v1/orders/{order['id']}")[1]["next"], "confirm")
        status, paid, _ = b.post(f"/api/v1/orders/{order['id']}/confirm")
        self.assertEqual((status, paid["status"], paid["balance"]), (200, "paid", 80))

    def test_declined_card_and_forged_webhook_credit_nothing(self):
        b = customer(STORE, "Отказ")
        status, page, _, payment = top_up(b, 500, card="4000 0000 0000 0002")
        self.assertIn("Оплата отклонена", page)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 0)
        conn = __import__("http.client").client.HTTPConnection("127.0.0.1", STORE.ports["billing"], timeout=5)
        body = '{"event_id":"evt_x","payment_id":"%s","status":"succeeded","amount":50000}' % payment
        conn.request("POST", "/api/v1/payments/webhook", body=body,
                     headers={"Content-Type": "application/json", "X-Sandbox-Signature": "00" * 32})
        self.assertEqual(conn.getresponse().status, 401)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 0)

    def test_concurrent_confirms_debit_once(self):
        b = customer(STORE, "Гонка")
        top_up(b, 1000)
        pid = mauser_id(b)
        order = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "starts_at": soon(), "period": 24}]},
                       headers={"Idempotency-Key": str(uuid.uuid4())})[1]
        results = []
        threads = [threading.Thread(target=lambda: results.append(b.post(f"/api/v1/orders/{order['id']}/confirm")[0]))
                   for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [200] * 10)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 100000 - 47920)
        self.assertEqual(len(b.get("/api/v1/rentals")[1]["items"]), 1)

    def test_cancel_before_start_refunds_in_full_and_others_cannot_touch_it(self):
        b = customer(STORE, "Отмена")
        top_up(b, 1000)
        pid = mauser_id(b)
        status, paid, _ = b.post("/api/v1/rent/", {"id": pid, "period": 24, "starts_at": soon(5)},
                                 headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200, paid)
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        intruder = customer(STORE, "Чужой")
        self.assertEqual(intruder.get(f"/api/v1/rentals/{rental['id']}")[0], 404)
        self.assertEqual(intruder.post(f"/api/v1/rentals/{rental['id']}/cancel")[0], 404)
        self.assertEqual(intruder.get(f"/api/v1/orders/{paid['id']}")[0], 404)
        status, cancelled, _ = b.post(f"/api/v1/rentals/{rental['id']}/cancel")
        self.assertEqual((status, cancelled["status"]), (200, "cancelled"))
        self.assertEqual(b.post(f"/api/v1/rentals/{rental['id']}/cancel")[0], 200)  # idempotent
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 100000)
        self.assertEqual([h["type"] for h in b.get("/api/v1/billing/history")[1]["items"]],
                         ["refund", "withdraw", "top_up"])

    def test_started_rental_cannot_be_cancelled_and_bad_items_name_the_field(self):
        b = customer(STORE, "Начато")
        top_up(b, 1000)
        pid = mauser_id(b)
        b.post("/api/v1/rent/", {"id": pid, "period": 12}, headers={"Idempotency-Key": str(uuid.uuid4())})
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        self.assertEqual(rental["status"], "active")
        self.assertEqual(b.post(f"/api/v1/rentals/{rental['id']}/cancel")[0], 409)
        status, problem, _ = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "starts_at": "2001-01-01T00:00:00Z",
                                                                  "period": 13}]},
                                    headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 422)
        self.assertEqual(problem["errors"][0]["field"], "items[0].period")
        self.assertEqual(b.post("/api/v1/orders", {"items": [{"premiere_id": pid}]})[0], 400)  # no Idempotency-Key
        self.assertEqual(b.post("/api/v1/orders", {"items": "x"}, headers={"Idempotency-Key": "k"})[0], 400)

    def test_the_cart_takes_only_what_the_catalog_shows_and_says_which_field_is_wrong(self):
        b = customer(STORE, "Корзина")
        pid = mauser_id(b)
        hidden = int(sql(STORE, "premieres", "SELECT id FROM premieres WHERE slug = 'hidden-test-show'"))
        for body, status, field in (({"premiere_id": 987654321}, 404, None),
                                    ({"premiere_id": hidden}, 422, "premiere_id"),
                                    ({"premiere_id": pid, "period": 13}, 422, "period")):
            got, problem, headers = b.post("/api/v1/cart/items", body)
            self.assertEqual(got, status, (body, problem))
            self.assertTrue(headers["content-type"].startswith("application/problem+json"), body)
            if field:
                self.assertEqual(problem["errors"][0]["field"], field, problem)
        self.assertEqual(b.get("/api/v1/cart")[1]["items"], [])  # nothing was added
        status, cart, _ = b.post("/api/v1/cart/items", {"premiere_id": pid, "period": 48})
        self.assertEqual((status, [(i["premiere"]["id"], i["period"]) for i in cart["items"]]), (201, [(pid, 48)]))


if __name__ == "__main__":
    unittest.main()


class Changes(unittest.TestCase):
    def test_extend_then_shorten_before_the_start_moves_money_both_ways(self):
        b = customer(STORE, "Продление")
        top_up(b, 2000)
        pid = mauser_id(b)
        b.post("/api/v1/rent/", {"id": pid, "period": 24, "starts_at": soon(3)}, headers={"Idempotency-Key": str(uuid.uuid4())})
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        self.assertEqual(rental["amount"], 47920)
        status, extended, _ = b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": 72})
        self.assertEqual((status, extended["period"], extended["amount"]), (200, 72, 95840), extended)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 200000 - 95840)
        status, shortened, _ = b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": 12})
        self.assertEqual((status, shortened["amount"]), (200, 33544), shortened)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 200000 - 33544)
        self.assertEqual([h["type"] for h in b.get("/api/v1/billing/history")[1]["items"]],
                         ["refund", "withdraw", "withdraw", "top_up"])
        status, problem, _ = b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": 13})
        self.assertEqual((status, problem["errors"][0]["field"]), (422, "period"))

    def test_after_the_start_only_extension_is_possible(self):
        b = customer(STORE, "Идущий")
        top_up(b, 2000)
        b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24}, headers={"Idempotency-Key": str(uuid.uuid4())})
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        self.assertEqual(b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": 12})[0], 409)
        self.assertEqual(b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"starts_at": soon(5)})[0], 409)
        status, extended, _ = b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": 48})
        self.assertEqual((status, extended["period"]), (200, 48))
