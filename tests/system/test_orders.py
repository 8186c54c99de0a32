"""«Мои заказы» through the gateway: every order with the money it moved (payment, a change's refund, a
cancellation's refund) matching the balance, a receipt for each, pages, bad input, and nobody else's orders."""
import re
import unittest
import uuid

from harness import Store, customer, mails_to, mauser_id, soon, top_up, wait_for

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def place(b, pid, period, start_hours=3):
    status, order, _ = b.post("/api/v1/orders", {"items": [{"premiere_id": pid, "starts_at": soon(start_hours),
                                                            "period": period}]},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, order
    return order


def text_of(html):
    return re.sub(r"<[^>]+>", " ", html)


class Orders(unittest.TestCase):
    def test_history_shows_each_movement_with_a_receipt_and_matches_the_balance(self):
        b = customer(STORE, "Заказчик")
        top_up(b, 2000)
        pid = mauser_id(b)
        order = place(b, pid, 48)
        status, paid, _ = b.post(f"/api/v1/orders/{order['id']}/confirm")
        self.assertEqual((status, paid["status"]), (200, "paid"), paid)
        rental = b.get("/api/v1/rentals")[1]["items"][0]
        status, changed, _ = b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": 24})
        self.assertEqual(status, 200, changed)
        status, cancelled, _ = b.post(f"/api/v1/rentals/{rental['id']}/cancel")
        self.assertEqual(status, 200, cancelled)

        status, page, _ = b.get("/api/v1/orders")
        self.assertEqual(status, 200, page)
        self.assertIsNone(page["next_before"])
        [o] = page["items"]
        self.assertEqual((o["id"], o["status"], o["total"]), (order["id"], "paid", order["total"]))
        self.assertEqual([(i["title"], i["period"]) for i in o["items"]], [("Маузер", 48)])
        kinds = [(m["kind"], m["amount"]) for m in o["movements"]]
        self.assertEqual(kinds[0], ("payment", order["total"]))
        self.assertEqual([k for k, _ in kinds], ["payment", "refund", "refund"])
        self.assertEqual(o["paid"], order["total"])
        # Everything was given back: shortened, then cancelled before the start.
        self.assertEqual(o["refunded"], order["total"])
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 200000 - o["paid"] + o["refunded"])

        urls = [m["receipt_url"] for m in o["movements"]]
        self.assertEqual(len(set(urls)), 3)
        status, html, headers = b.get(urls[0], headers={"Accept": "text/html"})
        self.assertEqual(status, 200, html)
        self.assertTrue(headers["content-type"].startswith("text/html"), headers)
        self.assertIn("no-store", headers["cache-control"])
        self.assertIn("script-src 'self'", headers["content-security-policy"])  # a page: the page's policy
        text = text_of(html)
        self.assertIn("Кассовый чек", text)
        self.assertIn("Приход", text)
        self.assertIn("«Маузер», 48 ч", text)
        status, html, _ = b.get(urls[2], headers={"Accept": "text/html"})
        self.assertEqual(status, 200, html)
        self.assertIn("Возврат прихода", text_of(html))
        self.assertIn("возврат: аренда отменена", text_of(html))

        # Nobody else sees any of it.
        other = customer(STORE, "Другой")
        self.assertEqual(other.get("/api/v1/orders")[1]["items"], [])
        for url in urls:
            status, problem, headers = other.get(url)
            self.assertEqual(status, 404, problem)
            self.assertTrue(headers["content-type"].startswith("application/problem+json"), headers)
        self.assertEqual(b.get(f"/api/v1/orders/{order['id']}/receipts/999999999")[0], 404)

    def test_the_purchase_email_links_to_the_order(self):
        b = customer(STORE, "Письмо")
        top_up(b, 1000)
        order = place(b, mauser_id(b), 24)
        self.assertEqual(b.post(f"/api/v1/orders/{order['id']}/confirm")[0], 200)
        address = b.get("/api/v1/me")[1]["email"]

        def purchase_mail():
            return [m for m in mails_to(STORE, address) if "оплачена" in str(m["Subject"])]

        [mail] = wait_for(purchase_mail)
        text = mail.get_body(preferencelist=("plain",)).get_content()
        self.assertIn(f"{STORE.origin}/orders?order={order['id']}", text)

    def test_pages_continue_where_the_last_ended_and_bad_parameters_name_the_field(self):
        b = customer(STORE, "Страницы")
        pid = mauser_id(b)
        placed = [place(b, pid, 24)["id"] for _ in range(3)]  # unpaid: listed, with no movements
        status, first, _ = b.get("/api/v1/orders?limit=2")
        self.assertEqual(status, 200, first)
        self.assertEqual([o["id"] for o in first["items"]], placed[::-1][:2])
        self.assertEqual(first["items"][0]["movements"], [])
        self.assertEqual(first["items"][0]["status"], "pending_payment")
        status, second, _ = b.get(f"/api/v1/orders?limit=2&before={first['next_before']}")
        self.assertEqual(status, 200, second)
        self.assertEqual([o["id"] for o in second["items"]], [placed[0]])
        self.assertIsNone(second["next_before"])
        for query, field in (("limit=0", "limit"), ("limit=51", "limit"), ("limit=x", "limit"),
                             ("before=not-an-id", "before")):
            status, problem, headers = b.get(f"/api/v1/orders?{query}")
            self.assertEqual(status, 400, (query, problem))
            self.assertTrue(headers["content-type"].startswith("application/problem+json"), headers)
            self.assertIn(field, [e["field"] for e in problem["errors"]], problem)
        self.assertEqual(b.get("/api/v1/orders?limit=2")[1], first)  # bad requests changed nothing


if __name__ == "__main__":
    unittest.main()
