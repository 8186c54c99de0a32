"""SendNotify end to end: a purchase produces exactly one email in the SMTP sink, in-app notifications,
SMS after switching preferences (to a number confirmed by its SMS code, ADR 0024), and a poison message lands in the
dead letters while others flow."""
import concurrent.futures
import json
import socket
import time
import unittest
import uuid

from harness import (Browser, Store, confirmed_phone, customer, mails_to, mauser_id, soon, sql, texted_code, texts_to,
                     top_up, wait_for)

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
        # A number is not enough: SMS go only to a number confirmed by the code texted to it (ADR 0024).
        unconfirmed = "+7999" + str(uuid.uuid4().int)[:7]
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"phone": unconfirmed})[0], 200)
        status, body, _ = b.request("PATCH", "/api/v1/me/notifications", {"sms": True, "email": False})
        self.assertEqual((status, body["errors"][0]["field"]), (422, "sms"))
        phone = confirmed_phone(STORE, b)
        status, prefs, _ = b.request("PATCH", "/api/v1/me/notifications", {"sms": True, "email": False})
        self.assertEqual((status, prefs), (200, {"email": False, "sms": True, "in_app": True, "reminders": True}))
        top_up(b, 200)

        got = wait_for(lambda: [m for m in texts_to(STORE, phone) if "200,00" in m["text"]])
        self.assertEqual(len(got), 1)
        self.assertEqual(len(texts_to(STORE, phone)), 2)  # the code, then the top-up
        self.assertEqual(texts_to(STORE, unconfirmed), [])
        me = b.get("/api/v1/me")[1]
        # Nothing by email but the address's confirmation, which goes whatever the preferences say.
        self.assertEqual(wait_for(lambda: [str(m["Subject"]) for m in mails_to(STORE, me["email"])]),
                         ["Подтвердите адрес почты"])


class PhoneCode(unittest.TestCase):
    """ADR 0024: a six-digit code by SMS confirms the number before SMS delivery can be chosen."""

    def code(self, b, code):
        return b.post("/api/v1/me/phone-verification/confirm", {"code": code})

    def test_the_texted_code_confirms_the_number_once_and_a_wrong_one_is_counted(self):
        b = customer(STORE, "Телефон")
        status, body, _ = b.post("/api/v1/me/phone-verification", {})
        self.assertEqual((status, body["errors"][0]["field"]), (422, "phone"))  # no number yet
        phone = "+7999" + str(uuid.uuid4().int)[:7]
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"phone": phone})[0], 200)
        self.assertFalse(b.get("/api/v1/me")[1]["phone_verified"])
        self.assertEqual(b.post("/api/v1/me/phone-verification", {}, csrf=False)[0], 403)
        self.assertEqual(Browser(STORE).post("/api/v1/me/phone-verification", {})[0], 401)

        status, body, _ = b.post("/api/v1/me/phone-verification", {})
        self.assertEqual(status, 202, body)
        self.assertIn(phone[:-6] + "****" + phone[-2:], body["detail"])  # masked
        code = texted_code(STORE, phone)
        self.assertEqual(len(texts_to(STORE, phone)), 1)
        # Another code within the minute is refused with the wait; only the code's digest is stored.
        status, body, headers = b.post("/api/v1/me/phone-verification", {})
        self.assertEqual(status, 429, body)
        self.assertGreater(int(headers["retry-after"]), 0)
        self.assertEqual(sql(STORE, "identity", f"SELECT count(*) FROM phone_codes WHERE code_hash LIKE '%{code}%'"),
                         "0")

        for bad in ("12345", "12345a", 123456, ""):
            status, body, _ = self.code(b, bad)
            self.assertEqual((status, body["errors"][0]["field"]), (400, "code"), bad)
        wrong = "000000" if code != "000000" else "000001"
        status, body, _ = self.code(b, wrong)
        self.assertEqual((status, body["errors"][0]["field"]), (422, "code"))
        self.assertIn("осталось 4 попытки", body["errors"][0]["message"])
        self.assertFalse(b.get("/api/v1/me")[1]["phone_verified"])

        status, body, _ = self.code(b, code)
        self.assertEqual(status, 200, body)
        self.assertTrue(body["phone_verified"])
        self.assertTrue(b.get("/api/v1/me")[1]["phone_verified"])
        self.assertEqual(self.code(b, code)[0], 409)  # used, and the number is confirmed
        # The data export lists the code's sending, never the code.
        data = b.get("/api/v1/me/data")[1]
        self.assertEqual([x["phone"] for x in data["links"] if x["kind"] == "phone_code"], [phone])
        self.assertNotIn(code, json.dumps(data["links"]))

        # A new number is unconfirmed again and cannot take SMS until its own code comes back.
        self.assertFalse(b.request("PATCH", "/api/v1/me", {"phone": "+7999" + str(uuid.uuid4().int)[:7]})[1]
                         ["phone_verified"])
        self.assertEqual(b.request("PATCH", "/api/v1/me/notifications", {"sms": True})[0], 422)

    def test_five_wrong_codes_end_it_even_when_tried_at_once(self):
        b = customer(STORE, "Перебор")
        phone = "+7999" + str(uuid.uuid4().int)[:7]
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"phone": phone})[0], 200)
        self.assertEqual(b.post("/api/v1/me/phone-verification", {})[0], 202)
        code = texted_code(STORE, phone)
        wrong = [f"{(int(code) + i) % 1000000:06d}" for i in range(1, 9)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda c: self.code(b, c)[0], wrong))
        self.assertEqual(statuses, [422] * 8)
        self.assertEqual(sql(STORE, "identity", "SELECT attempts FROM phone_codes WHERE phone = '%s'" % phone), "5")
        status, body, _ = self.code(b, code)  # the right code, too late
        self.assertEqual((status, body["type"].rsplit("/", 1)[-1]), (422, "phone-code-expired"))
        self.assertFalse(b.get("/api/v1/me")[1]["phone_verified"])

    def test_sms_chosen_then_the_number_changed_sends_by_email_until_it_is_confirmed(self):
        b = customer(STORE, "Сменил номер")
        old = confirmed_phone(STORE, b)
        self.assertEqual(b.request("PATCH", "/api/v1/me/notifications", {"sms": True, "email": False})[0], 200)
        new = "+7999" + str(uuid.uuid4().int)[:7]
        self.assertEqual(b.request("PATCH", "/api/v1/me", {"phone": new})[0], 200)
        top_up(b, 300)
        address = b.get("/api/v1/me")[1]["email"]
        self.assertTrue(wait_for(lambda: [m for m in mails_to(STORE, address) if "300,00" in str(m["Subject"])]))
        self.assertEqual(texts_to(STORE, new), [])
        self.assertEqual([m for m in texts_to(STORE, old) if "300,00" in m["text"]], [])


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
