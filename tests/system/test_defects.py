"""Defects found probing the running store (issue #25), each pinned by a test that failed before its fix."""
import os
import socket
import threading
import unittest
import urllib.request
import uuid

import yaml

from harness import ROOT, Browser, Store, customer, mauser_id, soon, top_up

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def raw_status(port, request):
    """Sends raw bytes to the gateway and returns the response's status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        got = b""
        while b"\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    return got.split(b"\r\n", 1)[0].decode()


class StaticFiles(unittest.TestCase):
    def test_a_missing_asset_is_a_404_and_a_page_falls_back_to_the_spa(self):
        b = Browser(STORE)
        status, body, headers = b.get("/assets/index-missing.js", headers={"Accept": "*/*"})
        self.assertEqual(status, 404)
        self.assertIn("application/problem+json", headers["content-type"])
        self.assertEqual(body["type"], "/problems/not-found")
        self.assertEqual(b.get("/favicon-missing.ico", headers={"Accept": "*/*"})[0], 404)
        status, page, headers = b.get("/premiere/1", headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["content-type"])
        self.assertIn('<div id="root">', page)


class RequestLimits(unittest.TestCase):
    def test_a_too_long_url_is_414_and_too_many_headers_431(self):
        port = STORE.ports["gateway"]
        long_url = b"GET /api/v1/search/?q=" + b"a" * 20000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
        self.assertEqual(raw_status(port, long_url), "HTTP/1.1 414 URI Too Long")
        big_headers = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + b"b" * 20000 + b"\r\n\r\n"
        self.assertEqual(raw_status(port, big_headers), "HTTP/1.1 431 Request Header Fields Too Large")


def sql(db, query):
    return STORE.pg.psql(query, f"chance_{db}")


def at_once(calls):
    """Runs the calls in threads released together; returns their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(i):
        barrier.wait()
        answers[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def upcoming_rental(name):
    """A customer with 3000 ₽ topped up who rented «Маузер» for 24 h, starting in five hours."""
    b = customer(STORE, name)
    top_up(b, 3000)
    status, paid, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24, "starts_at": soon(5)},
                             headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 200, paid
    return b, b.get("/api/v1/rentals")[1]["items"][0]


def refund_calls():
    """How many refund requests billing has answered (its http_requests_total for the route, any status)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{STORE.ports['billing']}/metrics", timeout=10) as r:
        text = r.read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("http_requests_total{") and 'route="/api/v1/billing/refund/"' in line)


def ledger(order_id):
    """What billing holds for the order: withdrawn − refunded, and the refunds' keys."""
    net = sql("billing", "SELECT coalesce(sum(CASE WHEN type = 'withdraw' THEN amount ELSE -amount END), 0) "
                         f"FROM transactions WHERE order_id = '{order_id}'")
    keys = sql("billing", f"SELECT idempotency_key FROM transactions WHERE order_id = '{order_id}' AND type = 'refund' "
                          "ORDER BY seq").split()
    return int(net), keys


class ConcurrentRentalChanges(unittest.TestCase):
    """Issue #25: a rental's cancel claims it; changes and cancels of one rental never move money twice."""

    def test_twelve_concurrent_cancels_all_answer_the_cancelled_rental_and_refund_once(self):
        b, first = upcoming_rental("Двенадцать отмен")
        rentals = [first]
        for _ in range(3):  # three more rentals, their cancels racing at the same moment
            status, paid, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24, "starts_at": soon(5)},
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
            self.assertEqual(status, 200, paid)
        rentals = b.get("/api/v1/rentals")[1]["items"]
        self.assertEqual(len(rentals), 4)
        calls = [(lambda r=r: b.post(f"/api/v1/rentals/{r['id']}/cancel")) for r in rentals for _ in range(12)]
        before = refund_calls()
        answers = at_once(calls)
        self.assertEqual(refund_calls() - before, 4)  # only the cancel that claimed a rental asks for its refund
        self.assertEqual([(status, body.get("status")) for status, body, _ in answers], [(200, "cancelled")] * 48,
                         [(status, body) for status, body, _ in answers if status != 200])
        for r in rentals:
            self.assertEqual(ledger(r["order_id"]), (0, [f"cancel:{r['id']}"]))
            self.assertEqual(sql("premieres", f"SELECT count(*) FROM rental_events WHERE rental_id = {r['id']} "
                                              "AND type = 'rental_cancelled'"), "1")
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 300000)
        self.assertEqual(b.post(f"/api/v1/rentals/{first['id']}/cancel")[0], 200)  # a later repeat too

    def test_concurrent_extends_shortens_and_moves_each_move_money_once_and_the_ledger_agrees(self):
        b, rental = upcoming_rental("Продления")
        periods = b.get(f"/api/v1/premiere/{rental['premiere_id']}")[1]["reservation"]["periods"]
        self.assertGreater(len(periods), 2)
        # extensions, shortenings and moves of the start, all at once
        wanted = [{"period": periods[i % len(periods)]} if i % 3 else {"starts_at": soon(6 + i)} for i in range(9)]
        answers = at_once([(lambda w=w: b.request("PATCH", f"/api/v1/rentals/{rental['id']}", w)) for w in wanted])
        self.assertEqual([a[0] for a in answers], [200] * 9, [a[:2] for a in answers])
        now = b.get(f"/api/v1/rentals/{rental['id']}")[1]
        net, _ = ledger(rental["order_id"])
        self.assertEqual(net, now["amount"])
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 300000 - now["amount"])
        self.assertEqual(sql("premieres", f"SELECT count(*) FROM rental_events WHERE rental_id = {rental['id']} "
                                          "AND type = 'rental_changed'"), "9")

    def test_changes_racing_cancels_never_leave_money_behind(self):
        b, rental = upcoming_rental("Гонка")
        periods = b.get(f"/api/v1/premiere/{rental['premiere_id']}")[1]["reservation"]["periods"]
        longer = [p for p in periods if p > 24]
        change = lambda: b.request("PATCH", f"/api/v1/rentals/{rental['id']}", {"period": longer[-1]})
        cancel = lambda: b.post(f"/api/v1/rentals/{rental['id']}/cancel")
        answers = at_once([change, cancel] * 6)
        for i, (status, body, _) in enumerate(answers):
            self.assertLess(status, 500, body)
            if i % 2:
                self.assertEqual((status, body["status"]), (200, "cancelled"))
            else:
                self.assertIn(status, (200, 409), body)
        self.assertEqual(b.get(f"/api/v1/rentals/{rental['id']}")[1]["status"], "cancelled")
        net, refunds = ledger(rental["order_id"])
        self.assertEqual(net, 0)
        self.assertEqual(refunds.count(f"cancel:{rental['id']}"), 1)
        self.assertEqual(b.get("/api/v1/billing/amount/")[1]["amount"], 300000)


def matches(spec, schema, value, where="answer"):
    """The few JSON Schema rules openapi.yaml uses: $ref, type (or a list of types), required, properties, items."""
    if "$ref" in schema:
        return matches(spec, spec["components"]["schemas"][schema["$ref"].split("/")[-1]], value, where)
    if "oneOf" in schema:
        return [] if any(not matches(spec, s, value, where) for s in schema["oneOf"]) else [f"{where}: no oneOf"]
    names = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool, "null": type(None)}
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if not any(isinstance(value, names[t]) and not (t == "integer" and isinstance(value, bool)) for t in types):
            return [f"{where}: {value!r} is not {types}"]
    wrong = []
    if isinstance(value, dict):
        wrong += [f"{where}.{k}: missing" for k in schema.get("required", []) if k not in value]
        for k, sub in schema.get("properties", {}).items():
            if k in value:
                wrong += matches(spec, sub, value[k], f"{where}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            wrong += matches(spec, schema["items"], v, f"{where}[{i}]")
    return wrong


class CartContract(unittest.TestCase):
    """Issue #25: POST /cart/items answers what openapi.yaml and docs/api-contract.md promise (the whole cart)."""

    def test_adding_to_the_cart_answers_the_documented_cart(self):
        with open(os.path.join(ROOT, "services", "premieres", "openapi.yaml")) as f:
            spec = yaml.safe_load(f)
        created = spec["paths"]["/api/v1/cart/items"]["post"]["responses"]["201"]
        self.assertIn("content", created, "the 201 answer of POST /cart/items has no schema")
        schema = created["content"]["application/json"]["schema"]
        b = customer(STORE, "Корзина")
        pid = mauser_id(b)
        status, cart, _ = b.post("/api/v1/cart/items", {"premiere_id": pid, "period": 48})
        self.assertEqual(status, 201, cart)
        self.assertEqual(matches(spec, schema, cart), [])
        self.assertEqual([(i["premiere"]["id"], i["period"]) for i in cart["items"]], [(pid, 48)])
        self.assertEqual(cart, b.get("/api/v1/cart")[1])
        with open(os.path.join(ROOT, "docs", "api-contract.md")) as f:
            line = next(l for l in f if l.startswith("- `POST /cart/items"))
        self.assertIn("201 the whole cart", line)


class ReturnAddress(unittest.TestCase):
    def test_a_return_address_off_the_stores_origin_is_refused_and_stores_nothing(self):
        b = customer(STORE, "Возврат")
        before = sql("billing", "SELECT count(*) FROM payments").strip()
        for bad in ["/\t/evil.example", "/\n/evil.example", "/checkout\r\nSet-Cookie: a=1", "//evil.example",
                    "/\\evil.example", "https://evil.example/", "checkout"]:
            status, body, headers = b.post("/api/v1/billing/fill", {"summ": 10000, "return_url": bad})
            self.assertEqual(status, 422, (bad, body))
            self.assertIn("application/problem+json", headers["content-type"])
            self.assertEqual(body["type"], "/problems/validation")
            self.assertEqual([e["field"] for e in body["errors"]], ["return_url"], bad)
        self.assertEqual(sql("billing", "SELECT count(*) FROM payments").strip(), before)
        status, body, _ = b.post("/api/v1/billing/fill", {"summ": 10000, "return_url": "/checkout?step=2"})
        self.assertEqual(status, 201, body)
        self.assertEqual(b.post("/api/v1/billing/fill", {"summ": 10000, "return_url": 5})[0], 400)
