"""Starts the whole store for system tests: a throwaway PostgreSQL, NATS, SMTP and SMS sink and the sandbox
acquirer on free ports and every service (build/dev binaries) as real processes, then tears everything down."""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

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
                    "CHANCE_PUBLIC_ORIGIN": self.origin, "CHANCE_SEED": "demo", "CHANCE_LOG_LEVEL": "warn",
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

    def start_replica(self, s, name):
        """Another process of service `s` on its own port, sharing the database (e.g. two schedulers)."""
        binary = os.path.join(ROOT, "build", self.preset, "services", s, f"chance-{s}")
        env = self.env_for(s)
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

