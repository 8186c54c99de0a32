"""SendNotify end to end: a purchase produces exactly one email in the SMTP sink, in-app notifications,
SMS after switching preferences, and a poison message lands in the dead letters while others flow."""
import json
import os
import socket
import time
import unittest
import uuid

from harness import Browser, Store, customer, mails_to, mauser_id, soon, top_up, wait_for

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def publish_raw(subject, payload):
    with socket.create_connection(("127.0.0.1", STORE.nats.port), timeout=5) as s:
        s.recv(4096)  # INFO
        data = payload.encode()
        s.sendall(b'CONNECT {"verbose":false}\r\n' + f"PUB {subject} {len(data)}\r\n".encode() + data + b"\r\nPING\r\n")
        buf = b""
        while b"PONG" not in buf:
            buf += s.recv(4096)


class Email(unittest.TestCase):
    def test_a_purchase_sends_exactly_one_confirmation_email_with_the_window(self):
        b = customer(STORE, "Письмо")
        me = b.get("/api/v1/me")[1]
        top_up(b, 1000)
        status, paid, _ = b.post("/api/v1/rent/", {"id": mauser_id(b), "period": 24, "starts_at": soon(3)},
                                 headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual(status, 200, paid)
        purchase = wait_for(lambda: [m for m in mails_to(STORE, me["email"]) if "оплачена" in str(m["Subject"])])
        self.assertEqual(len(purchase), 1)
        msg = purchase[0]
        self.assertEqual(str(msg["Subject"]), "Премьера оплачена: «Маузер»")
        self.assertTrue(str(msg["Message-ID"]).endswith("@chance-video.local>"))
        text = msg.get_body(preferencelist=("plain",)).get_content()
        self.assertIn("смотреть можно с", text)
        self.assertIn("479,20", text)
        time.sleep(1.0)  # nothing else arrives for it later
        self.assertEqual(len([m for m in mails_to(STORE, me["email"]) if "оплачена" in str(m["Subject"])]), 1)
        topups = [m for m in mails_to(STORE, me["email"]) if "пополнен" in str(m["Subject"])]
        self.assertEqual(len(topups), 1)

    def test_a_reminder_can_be_unsubscribed_in_one_click_and_receipts_still_come(self):
        """List-Unsubscribe (RFC 8058) on reminder emails only; the mail program's POST needs no session."""
        b = customer(STORE, "Отписка")
        me = b.get("/api/v1/me")[1]
        top_up(b, 2000)
        pid = mauser_id(b)

        def rent():  # 12 h from now: the test store reminds 24 h before the end, so at once
            status, paid, _ = b.post("/api/v1/rent/", {"id": pid, "period": 12},
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
            self.assertEqual(status, 200, paid)

        def mails(word):
            return [m for m in mails_to(STORE, me["email"]) if word in str(m["Subject"])]
        rent()
        reminder = wait_for(lambda: mails("Скоро закончится"))[0]
        receipt = wait_for(lambda: mails("оплачена"))[0]
        self.assertIsNone(receipt["List-Unsubscribe"])  # a receipt cannot be unsubscribed from
        self.assertNotIn("/unsubscribe?", receipt.get_body(preferencelist=("plain",)).get_content())
        self.assertIn(STORE.origin + "/unsubscribe?u=", reminder.get_body(preferencelist=("plain",)).get_content())
        self.assertEqual(str(reminder["List-Unsubscribe-Post"]), "List-Unsubscribe=One-Click")
        url = str(reminder["List-Unsubscribe"]).strip("<>")
        self.assertTrue(url.startswith(STORE.origin + "/api/v1/notifications/unsubscribe?u="), url)
        path = url[len(STORE.origin):]
        # As a mail program posts it: no cookie, no Origin, the body RFC 8058 prescribes.
        mailer = Browser(STORE)
        forged = mailer.request("POST", path[:-4] + "0000", "List-Unsubscribe=One-Click", origin=False,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(forged[0], 403)
        self.assertTrue(b.get("/api/v1/me/notifications")[1]["reminders"])  # nothing changed
        missing = mailer.request("POST", "/api/v1/notifications/unsubscribe?u=1", "", origin=False)
        self.assertEqual((missing[0], [e["field"] for e in missing[1]["errors"]]), (400, ["t"]))
        status, answer, _ = mailer.request("POST", path, "List-Unsubscribe=One-Click", origin=False,
                                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200, answer)
        self.assertFalse(b.get("/api/v1/me/notifications")[1]["reminders"])
        # The next rental: its receipt comes, its reminder only in the app.
        rent()
        wait_for(lambda: len(mails("оплачена")) == 2)
        self.assertEqual(len(mails("оплачена")), 2)
        self.assertTrue(wait_for(lambda: len([i for i in b.get("/api/v1/notifications")[1]["items"]
                                              if "Скоро закончится" in i["title"]]) == 2))
        time.sleep(1)
        self.assertEqual(len(mails("Скоро закончится")), 1)
        # The customer turns them back on in their preferences.
        status, prefs, _ = b.request("PATCH", "/api/v1/me/notifications", {"reminders": True})
        self.assertEqual((status, prefs["reminders"], prefs["email"]), (200, True, True))

    def test_in_app_notifications_are_listed_and_marked_read_only_by_their_owner(self):
        b = customer(STORE, "Колокольчик")
        top_up(b, 100)
        items = wait_for(lambda: b.get("/api/v1/notifications")[1]["items"])
        self.assertEqual(items[0]["title"], "Баланс пополнен на 100,00\u00a0₽")
        self.assertEqual(b.get("/api/v1/notifications")[1]["unread"], 1)
        other = customer(STORE, "Сосед")
        self.assertEqual(other.post(f"/api/v1/notifications/{items[0]['id']}/read")[0], 404)
        self.assertEqual(b.post(f"/api/v1/notifications/{items[0]['id']}/read")[0], 204)
        self.assertEqual(b.get("/api/v1/notifications")[1]["unread"], 0)

    def test_switching_to_sms_moves_the_next_message_to_sms(self):
        b = customer(STORE, "СМС")
        status, body, _ = b.request("PATCH", "/api/v1/me/notifications", {"sms": True, "email": False})
        self.assertEqual(status, 422)
        self.assertEqual(body["errors"][0]["field"], "sms")
        phone = "+7999" + str(uuid.uuid4().int)[:7]
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"phone": phone})[0], 200)
        status, prefs, _ = b.request("PATCH", "/api/v1/me/notifications", {"sms": True, "email": False})
        self.assertEqual((status, prefs), (200, {"email": False, "sms": True, "in_app": True, "reminders": True}))
        top_up(b, 200)

        def sms():
            path = os.path.join(STORE.sms.dir, "sms.jsonl")
            if not os.path.exists(path):
                return []
            with open(path) as f:
                return [json.loads(line) for line in f if phone in line]
        got = wait_for(sms)
        self.assertEqual(len(got), 1)
        self.assertIn("200,00", got[0]["text"])
        me = b.get("/api/v1/me")[1]
        # Nothing by email but the address's confirmation, which goes whatever the preferences say.
        self.assertEqual(wait_for(lambda: [str(m["Subject"]) for m in mails_to(STORE, me["email"])]),
                         ["Подтвердите адрес почты"])


class DeadLetters(unittest.TestCase):
    def test_poison_messages_go_to_dead_letters_and_the_queue_keeps_flowing(self):
        publish_raw("notify.purchase_confirmed", "{not json")
        publish_raw("notify.unknown", json.dumps({"id": str(uuid.uuid4()), "type": "x.v1", "occurred_at": "2026-01-01T00:00:00Z",
                                                   "payload": {"user_id": "1", "template": "no_such_template", "params": {}}}))
        admin = Browser(STORE)
        admin.login("admin@chance.local", "admin-password-2026")
        def poisoned():
            return [d for d in admin.get("/api/v1/admin/notifications/dead-letters")[1]["items"]
                    if d["subject"] in ("notify.purchase_confirmed", "notify.unknown")]

        # Both, whichever is dead-lettered first (waiting for the first alone raced the second).
        wait_for(lambda: len(poisoned()) >= 2)
        letters = poisoned()
        reasons = sorted(d["reason"] for d in letters)
        self.assertEqual(len(reasons), 2, reasons)
        self.assertTrue(reasons[0].startswith("malformed"))
        self.assertEqual(reasons[1], "unknown template")
        b = customer(STORE, "После яда")  # a good message after the poison is still delivered
        top_up(b, 50)
        self.assertTrue(wait_for(lambda: b.get("/api/v1/notifications")[1]["items"]))
        customer_view = Browser(STORE)
        customer_view.login()
        self.assertEqual(customer_view.get("/api/v1/admin/notifications/dead-letters")[0], 403)


if __name__ == "__main__":
    unittest.main()
