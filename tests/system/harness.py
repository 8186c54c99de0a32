"""Starts the whole store for system tests: a throwaway PostgreSQL, NATS, SMTP and SMS sink and the sandbox
acquirer on free ports and every service (build/dev binaries) as real processes, then tears everything down.
Also what the system tests, the browser tests and the benchmarks share: customers, top-ups through the
acquirer's page or its signed notification, the catalog's «Маузер», emails received, the ledger's invariant —
functions that take the store (or a Browser of it) explicitly."""
import datetime
import email
import email.policy
import glob
import hashlib
import hmac
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
import infra  # noqa: E402

SERVICES = ["identity", "premieres", "billing", "notifications", "gateway"]


MEDIA_CACHE = os.path.join(ROOT, "build", "media-cache")


def make_media(name, title, seconds=40):
    """Sample screenings made with ffmpeg, cached between runs (scripts/make-media skips finished ones)."""
    subprocess.run([os.path.join(ROOT, "scripts", "make-media"), os.path.join(MEDIA_CACHE, name), title, str(seconds)],
                   check=True)


class SandboxAcquirer:
    """The sandbox acquirer (tools/sandbox-acquirer): not part of the store, the stand-in for YooKassa or Stripe.
    Billing creates payments at it and it notifies billing's webhook; its pages are reached through the
    gateway's /pay/*."""

    def __init__(self, preset, port, log_path):
        self.binary = os.path.join(ROOT, "build", preset, "tools", "sandbox-acquirer", "chance-sandbox-acquirer")
        self.port, self.log_path = port, log_path
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, env, timeout=30):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary], env=dict(env, CHANCE_HTTP_PORT=str(self.port)), stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        end = time.time() + timeout
        while infra.http_get(f"{self.url}/readyz")[0] != 200:
            if self.proc.poll() is not None or time.time() > end:
                raise RuntimeError(f"the sandbox acquirer did not start; log in {self.log_path}")
            time.sleep(0.05)

    def stop(self):
        if self.proc is not None:
            infra.stop_process(self.proc)
            self.proc = None


class Store:
    def __init__(self, preset="dev", media=False, durable=False, env=None):
        """env: settings over the test ones (the benchmarks restore production values, e.g. the reminder lead)."""
        self.extra_env = dict(env or {})
        if media:
            make_media("default", "Шанс-видео")
            make_media("1", "Маузер")
        self.base = tempfile.mkdtemp(prefix="chance-system-", dir="/var/tmp")
        os.chmod(self.base, 0o755)
        self.preset = preset
        self.pg = infra.Postgres(os.path.join(self.base, "pg"), infra.free_port(), durable=durable)
        self.nats = infra.Nats(os.path.join(self.base, "nats"), infra.free_port())
        self.smtp = infra.SmtpSink(os.path.join(self.base, "mail"), infra.free_port())
        self.sms = infra.SmsSink(os.path.join(self.base, "sms"), infra.free_port())
        self.ports = {s: infra.free_port() for s in SERVICES}
        self.procs = {}
        self.secret = os.urandom(32).hex()
        self.webhook_secret = os.urandom(32).hex()
        self.origin = f"http://localhost:{self.ports['gateway']}"
        self.acquirer = SandboxAcquirer(preset, infra.free_port(), os.path.join(self.base, "sandbox-acquirer.log"))

    def env_for(self, s):
        env = dict(os.environ)
        env.update({"CHANCE_HTTP_PORT": str(self.ports[s]), "CHANCE_PG_DSN": self.pg.dsn(f"chance_{s}", "chance"),
                    "CHANCE_NATS_URL": self.nats.url, "CHANCE_INTERNAL_SECRET": self.secret,
                    "CHANCE_PUBLIC_ORIGIN": self.origin, "CHANCE_SEED": "demo",
                    "CHANCE_ALLOWED_ORIGINS": f"{self.origin},http://127.0.0.1:{self.ports['gateway']}", "CHANCE_LOG_LEVEL": "warn",
                    "CHANCE_IDENTITY_URL": f"http://127.0.0.1:{self.ports['identity']}",
                    "CHANCE_PREMIERES_URL": f"http://127.0.0.1:{self.ports['premieres']}",
                    "CHANCE_BILLING_URL": f"http://127.0.0.1:{self.ports['billing']}",
                    "CHANCE_NOTIFICATIONS_URL": f"http://127.0.0.1:{self.ports['notifications']}",
                    "CHANCE_WEB_DIST": os.path.join(ROOT, "web", "dist"),
                    "CHANCE_PAYMENT_WEBHOOK_SECRET": self.webhook_secret,
                    "CHANCE_PAYMENT_PROVIDER_URL": self.acquirer.url, "CHANCE_PAYMENT_PAGE_URL": self.acquirer.url,
                    "CHANCE_SMTP_URL": f"smtp://127.0.0.1:{self.smtp.port}", "CHANCE_SMS_URL": self.sms.url,
                    "CHANCE_MEDIA_DIR": MEDIA_CACHE, "CHANCE_PLAYBACK_TTL_SECONDS": "8",
                    "CHANCE_REMINDER_LEAD_MINUTES": "1440", "CHANCE_SCHEDULER_INTERVAL_MS": "200",
                    "CHANCE_API_RATE": "10000", "CHANCE_API_BURST": "10000",
                    "CHANCE_REGISTER_RATE": "1000", "CHANCE_REGISTER_BURST": "1000",
                    "CHANCE_PASSWORD_RESET_RATE": "1000", "CHANCE_PASSWORD_RESET_BURST": "1000",
                    "ASAN_OPTIONS": "detect_leaks=0"})
        env.update(self.extra_env)
        return env

    def start_acquirer(self):
        env = dict(os.environ)
        env.update({"CHANCE_PUBLIC_ORIGIN": self.origin, "CHANCE_PAYMENT_WEBHOOK_SECRET": self.webhook_secret,
                    "CHANCE_WEBHOOK_URL": f"http://127.0.0.1:{self.ports['billing']}/api/v1/payments/webhook",
                    "CHANCE_LOG_LEVEL": "warn", "ASAN_OPTIONS": "detect_leaks=0"})
        self.acquirer.start(env)

    def start_service(self, s, extra_env=None):
        binary = os.path.join(ROOT, "build", self.preset, "services", s, f"chance-{s}")
        log = open(os.path.join(self.base, f"{s}.log"), "ab")
        env = dict(self.env_for(s), **(extra_env or {}))
        self.procs[s] = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start_replica(self, s, name, extra_env=None):
        """Another process of service `s` on its own port, sharing the database (e.g. two schedulers)."""
        binary = os.path.join(ROOT, "build", self.preset, "services", s, f"chance-{s}")
        env = dict(self.env_for(s), **(extra_env or {}))
        self.ports[name] = infra.free_port()
        env["CHANCE_HTTP_PORT"] = str(self.ports[name])
        log = open(os.path.join(self.base, f"{name}.log"), "ab")
        self.procs[name] = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def stop_service(self, s, sig=None):
        p = self.procs.pop(s, None)
        if p is not None:
            if sig is not None:
                p.send_signal(sig)
                p.wait()
            else:
                infra.stop_process(p)

    def wait_ready(self, services=SERVICES, timeout=60):
        end = time.time() + timeout
        pending = set(services)
        while pending and time.time() < end:
            for s in list(pending):
                code, _ = infra.http_get(f"http://127.0.0.1:{self.ports[s]}/readyz")
                if code == 200:
                    pending.discard(s)
            time.sleep(0.05)
        if pending:
            raise RuntimeError(f"not ready: {sorted(pending)}; logs in {self.base}")

    def start(self):
        self.pg.start()
        self.pg.ensure_role_and_databases("chance", [f"chance_{s}" for s in SERVICES])
        self.nats.start()
        self.smtp.start()
        self.sms.start()
        self.start_acquirer()
        for s in SERVICES:
            self.start_service(s)
        self.wait_ready()
        return self

    def stop(self):
        for s in list(self.procs):
            self.stop_service(s)
        for x in (self.acquirer, self.sms, self.smtp, self.nats):
            x.stop()
        self.pg.stop("immediate")
        if os.environ.get("CHANCE_KEEP_SYSTEM_LOGS"):
            print(f"logs kept in {self.base}")
        else:
            infra.remove_tree(self.base)

    def components(self):
        """{name: root pid} of every process of the store: services, PostgreSQL, NATS, the sinks."""
        out = {s: p.pid for s, p in self.procs.items() if p.poll() is None}
        for name, x in (("postgres", self.pg), ("nats", self.nats), ("smtp sink", self.smtp), ("sms sink", self.sms),
                        ("sandbox acquirer", self.acquirer)):
            if x.proc is not None:
                out[name] = x.proc.pid
        return out

    def cpu_seconds(self):
        """{component: CPU seconds used so far} (a process tree each: PostgreSQL's backends count)."""
        return infra.tree_cpu_seconds(self.components())

    def log(self, s):
        with open(os.path.join(self.base, f"{s}.log"), errors="replace") as f:
            return f.read()


class Browser:
    """A customer: keeps the session cookie and the CSRF token, sends the store's Origin."""

    def __init__(self, store, port=None):
        self.store = store
        self.port = port or store.ports["gateway"]
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, body=None, headers=None, origin=True, csrf=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {"Accept": "application/json"}
        if body is not None:
            h["Content-Type"] = "application/json"
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode("utf-8")
        if origin:
            h["Origin"] = self.store.origin
        if csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                v = rest.split(";", 1)[0]
                if "Max-Age=0" in value:
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        conn.close()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data.decode("utf-8", "replace")
        if isinstance(parsed, dict) and "csrf_token" in parsed:
            self.csrf = parsed["csrf_token"]
        return r.status, parsed, dict((k.lower(), v) for k, v in r.getheaders())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body if body is not None else {}, **kw)

    def login(self, email="demo@chance.local", password="demo-password-2026"):
        status, body, _ = self.post("/api/v1/auth/login", {"email": email, "password": password})
        assert status == 200, (status, body)
        return body


def customer(store, name):
    """A newly registered, signed-in customer of `store`."""
    b = Browser(store)
    address = f"c-{uuid.uuid4().hex[:12]}@example.ru"
    status, body, _ = b.post("/api/v1/auth/register", {"email": address, "password": "надёжный-пароль-2026",
                                                       "name": name, "consent": True})
    assert status == 201, body
    return b


def top_up(b, rubles, card="4242 4242 4242 4242", code=None):
    """Tops the customer's balance up as a browser does: the acquirer's page at confirmation_url (reached through
    the gateway), its card form posted, and the code step for cards that ask for it. (status, page, headers,
    payment id) of the last answer."""
    status, body, _ = b.post("/api/v1/billing/fill", {"summ": rubles * 100, "return_url": "/checkout"})
    assert status == 201, body
    path = urllib.parse.urlparse(body["confirmation_url"]).path
    status, page, _ = b.get(path, headers={"Accept": "text/html"})
    assert status == 200, page
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"form_token": token, "number": card, "expiry": "12/30", "cvc": "123", "holder": "X"})
    status, page, headers = b.request("POST", path, form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    if code is not None:
        assert status == 200 and "Подтверждение" in page, (status, page)
        form = urllib.parse.urlencode({"form_token": token, "code": code})
        status, page, headers = b.request("POST", path + "/confirm", form,
                                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    return status, page, headers, body["payment_id"]


def webhook(store, body, secret=None):
    """Posts a payment notification to billing as the acquirer does (signed with the shared key, or `secret`);
    billing's answer status."""
    raw = json.dumps(body).encode()
    sig = hmac.new(bytes.fromhex(secret or store.webhook_secret), raw, hashlib.sha256).hexdigest()
    conn = http.client.HTTPConnection("127.0.0.1", store.ports["billing"], timeout=10)
    conn.request("POST", "/api/v1/payments/webhook", body=raw,
                 headers={"Content-Type": "application/json", "X-Sandbox-Signature": sig})
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status


def mauser_id(b):
    _, found, _ = b.get("/api/v1/search/?q=" + urllib.parse.quote("Маузер"))
    return found["items"][0]["id"]


def soon(hours=1):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def mails_to(store, address):
    out = []
    for path in glob.glob(os.path.join(store.smtp.maildir, "new", "*")):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if address in str(msg["To"]):
            out.append(msg)
    return out


def texts_to(store, phone):
    """The SMS the store sent to `phone` so far, oldest first ({to, text} as the SMS sink records them)."""
    path = os.path.join(store.sms.dir, "sms.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [m for m in (json.loads(line) for line in f) if m.get("to") == phone]


def texted_code(store, phone, index=-1):
    """The six-digit confirmation code in the `index`th code SMS to `phone` (waits for it to arrive)."""
    def codes():
        return [re.search(r"код (\d{6})", m["text"]).group(1) for m in texts_to(store, phone)
                if re.search(r"код (\d{6})", m["text"])]
    return wait_for(codes)[index]


def confirmed_phone(store, b):
    """Gives the customer a fresh number and confirms it with the code texted to it (ADR 0024); the number."""
    phone = "+7999" + str(uuid.uuid4().int)[:7]
    assert b.request("PATCH", "/api/v1/me", {"phone": phone})[0] == 200
    status, body, _ = b.post("/api/v1/me/phone-verification", {})
    assert status == 202, body
    status, body, _ = b.post("/api/v1/me/phone-verification/confirm", {"code": texted_code(store, phone)})
    assert status == 200 and body["phone_verified"], body
    return phone


def emailed_links(store, address, subject, page):
    """The one-time links to `page` (reset-password, verify-email) in the plain text of the emails under `subject`
    to `address` so far, oldest first; their token is in the fragment."""
    out = []
    for m in mails_to(store, address):
        if str(m["Subject"]) == subject:
            text = m.get_body(preferencelist=("plain",)).get_content()
            out += re.findall(r"(https?://\S+/" + page + r"#token=[A-Za-z0-9_-]+)", text)
    return out


def token_of(link):
    return link.split("#token=", 1)[1]


def wait_for(pred, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    return pred()


def sql(store, db, query):
    return store.pg.psql(query, f"chance_{db}")


def check_invariant(tc, store):
    """The ledger balances, wallets match their entries, every paid order has exactly one kept debit, and the
    outboxes drain."""
    tc.assertEqual(sql(store, "billing", "SELECT coalesce(sum(amount), 0) FROM entries"), "0")
    tc.assertEqual(sql(store, "billing", "SELECT count(*) FROM accounts a WHERE kind = 'wallet' AND (balance < 0 OR "
                                         "balance <> (SELECT coalesce(sum(amount), 0) FROM entries e "
                                         "WHERE e.account_id = a.id))"), "0")
    paid = set(sql(store, "premieres", "SELECT id FROM orders WHERE status = 'paid'").split())
    debits = sql(store, "billing", "SELECT order_id, count(*), "
                                   "(SELECT coalesce(sum(amount), 0) FROM transactions r WHERE r.type = 'refund' "
                                   " AND r.order_id = t.order_id AND r.idempotency_key LIKE 'sold-out:%') = sum(t.amount) "
                                   "FROM transactions t WHERE type = 'withdraw' AND idempotency_key LIKE 'order:%' "
                                   "GROUP BY order_id").split()
    rows = [line.split("|") for line in debits]
    kept = {r[0]: int(r[1]) for r in rows if r[2] != "t"}  # debits not given back (sold-out orders are refunded)
    tc.assertEqual(set(kept), paid, "every paid order has a debit and every kept debit an order")
    tc.assertTrue(all(n == 1 for n in kept.values()), kept)
    for db in ("premieres", "billing"):
        tc.assertTrue(wait_for(lambda d=db: sql(store, d, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == "0",
                               30), f"{db} outbox drained")


def every_paid_purchase_has_one_email(tc, store, buyers, repeats_allowed=0):
    """The global invariant's email part: each of these customers' paid orders produced exactly one
    confirmation message. `repeats_allowed`: copies of the same message (the same Message-ID) tolerated — a
    kill between the SMTP server's "250 OK" and the "sent" mark can only repeat a message, never lose one."""
    emails = {me["id"]: me["email"] for me in (b.get("/api/v1/me")[1] for b in buyers)}
    paid = {}
    for line in sql(store, "premieres", "SELECT user_id, count(*) FROM orders WHERE status = 'paid' "
                                        "GROUP BY user_id").split():
        user, n = line.split("|")
        if user in emails:
            paid[emails[user]] = int(n)

    def messages(e):
        return [m for m in mails_to(store, e) if "оплачена" in str(m["Subject"])]

    def distinct(e):
        return len({str(m["Message-ID"]) for m in messages(e)})
    tc.assertTrue(wait_for(lambda: all(distinct(e) >= n for e, n in paid.items()), 120), "every purchase email arrived")
    time.sleep(2)
    tc.assertEqual({e: distinct(e) for e in paid}, paid, "one message per paid purchase")
    tc.assertLessEqual(sum(len(messages(e)) - n for e, n in paid.items()), repeats_allowed, "repeated messages")
