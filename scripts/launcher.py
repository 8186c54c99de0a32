#!/usr/bin/python3
"""`make run`: starts the store on loopback — a private PostgreSQL (var/pg), NATS JetStream (var/nats),
an SMTP sink (var/mail), an SMS sink (var/sms), the sandbox acquirer (payments; not part of the store) and
every service, supervised — and prints the URL.

  scripts/launcher.py run [--gateway-port N] [--pg-port N] ...   (or CHANCE_GATEWAY_PORT=N, ...)
  scripts/launcher.py status                                       (each service's /readyz)

Ctrl-C / SIGTERM stops everything. Data stays in var/ between runs.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import infra  # noqa: E402

ROOT = infra.ROOT
VAR = os.path.join(ROOT, "var")
STATE = os.path.join(VAR, "run", "launcher.json")
SERVICES = ["identity", "premieres", "billing", "notifications", "gateway"]
DEFAULT_PORTS = {"gateway": 8080, "identity": 8081, "premieres": 8082, "billing": 8083, "notifications": 8084,
                 "pg": 15432, "nats": 14222, "smtp": 10025, "mailbox": 10026, "sms": 10080, "acquirer": 10090}
ACQUIRER = "sandbox-acquirer"  # supervised like a service, but a stand-in for the outside world (tools/)
DEMO = ("demo@chance.local", "demo-password-2026")
COLOURS = {"gateway": 36, "identity": 35, "premieres": 33, "billing": 32, "notifications": 34, ACQUIRER: 90}
TTY = sys.stdout.isatty()
print_lock = threading.Lock()


def say(msg):
    with print_lock:
        print(f"[launcher] {msg}", flush=True)


def secret(name):
    path = os.path.join(VAR, "secrets", name)
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(os.urandom(32).hex())
        os.chmod(path, 0o600)
    with open(path) as f:
        return f.read().strip()


class Service:
    def __init__(self, name, binary, port, env):
        self.name, self.binary, self.port, self.env = name, binary, port, env
        self.proc = None
        self.restarts = 0
        self.backoff = 0.5
        self.next_start = 0.0
        self.started_at = 0.0
        self.log = open(os.path.join(VAR, "log", f"{name}.log"), "ab")

    def start(self):
        self.proc = subprocess.Popen([self.binary], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.started_at = time.time()
        threading.Thread(target=self._pump, args=(self.proc,), daemon=True).start()

    def _pump(self, proc):
        prefix = f"[{self.name}]"
        if TTY:
            prefix = f"\033[{COLOURS[self.name]}m{prefix}\033[0m"
        for line in proc.stdout:
            self.log.write(line)
            self.log.flush()
            with print_lock:
                sys.stdout.write(f"{prefix} {line.decode('utf-8', 'replace')}")
                sys.stdout.flush()

    def stop(self):
        if self.proc is not None:
            infra.stop_process(self.proc, timeout=5)

    def readyz(self):
        return infra.http_get(f"http://127.0.0.1:{self.port}/readyz", timeout=0.5)


def parse_ports(args):
    ports = {}
    for key, default in DEFAULT_PORTS.items():
        flag = getattr(args, f"{key}_port")
        env = os.environ.get(f"CHANCE_{key.upper()}_PORT")
        ports[key] = int(flag or env or default)
    return ports


def check_ports(ports):
    busy = [(k, p) for k, p in ports.items() if infra.port_open(p)]
    if busy:
        for k, p in busy:
            print(f"launcher: port {p} ({k}) is already in use on 127.0.0.1. Stop whatever uses it, or choose "
                  f"another port with --{k}-port=N or CHANCE_{k.upper()}_PORT=N.", file=sys.stderr)
        sys.exit(2)


def run(args):
    t0 = time.time()
    ports = parse_ports(args)
    build = os.path.join(ROOT, "build", args.preset, "services")
    for s in SERVICES:
        if not os.path.exists(os.path.join(build, s, f"chance-{s}")):
            sys.exit(f"launcher: {build}/{s}/chance-{s} is missing: run `make release` (or `make run`)")
    acquirer_binary = os.path.join(ROOT, "build", args.preset, "tools", ACQUIRER, f"chance-{ACQUIRER}")
    if not os.path.exists(acquirer_binary):
        sys.exit(f"launcher: {acquirer_binary} is missing: run `make release` (or `make run`)")
    check_ports(ports)
    for d in ("log", "run", "mail", "sms"):
        os.makedirs(os.path.join(VAR, d), exist_ok=True)

    pg = infra.Postgres(os.path.join(VAR, "pg"), ports["pg"], durable=True, log_path=os.path.join(VAR, "log", "postgres.log"))
    nats = infra.Nats(os.path.join(VAR, "nats"), ports["nats"], log_path=os.path.join(VAR, "log", "nats.log"))
    smtp = infra.SmtpSink(os.path.join(VAR, "mail"), ports["smtp"], log_path=os.path.join(VAR, "log", "smtp.log"),
                          viewer_port=ports["mailbox"])
    sms = infra.SmsSink(os.path.join(VAR, "sms"), ports["sms"], log_path=os.path.join(VAR, "log", "sms.log"))
    first_run = not pg.initialised()
    pg.start()
    pg.ensure_role_and_databases("chance", [f"chance_{s}" for s in SERVICES])
    nats.start()
    smtp.start()
    sms.start()
    say(f"PostgreSQL :{ports['pg']} ({'created' if first_run else 'kept'} in var/pg), NATS :{ports['nats']}, "
        f"SMTP sink :{ports['smtp']} (var/mail), SMS sink :{ports['sms']} (var/sms)")

    origin = f"http://localhost:{ports['gateway']}"
    common = dict(os.environ)
    common.update({"CHANCE_HTTP_HOST": "127.0.0.1", "CHANCE_NATS_URL": nats.url,
                   "CHANCE_INTERNAL_SECRET": secret("internal.key"), "CHANCE_LOG_LEVEL": args.log_level,
                   "CHANCE_PUBLIC_ORIGIN": origin, "CHANCE_SEED": "demo"})
    urls = {s: f"http://127.0.0.1:{ports[s]}" for s in SERVICES}
    acquirer_url = f"http://127.0.0.1:{ports['acquirer']}"
    services = []
    for s in SERVICES:
        env = dict(common)
        env.update({"CHANCE_HTTP_PORT": str(ports[s]), "CHANCE_PG_DSN": pg.dsn(f"chance_{s}", "chance")})
        if s == "gateway":
            env.update({f"CHANCE_{u.upper()}_URL": urls[u] for u in SERVICES if u != "gateway"})
            env["CHANCE_WEB_DIST"] = os.path.join(ROOT, "web", "dist")
            env["CHANCE_PAYMENT_PAGE_URL"] = acquirer_url  # /pay/* on the store's origin
            # The store answers on both names of this machine: either may send a registration or a purchase.
            env["CHANCE_ALLOWED_ORIGINS"] = f"{origin},http://127.0.0.1:{ports['gateway']}"
        if s == "premieres":
            env["CHANCE_BILLING_URL"] = urls["billing"]
            env["CHANCE_MEDIA_DIR"] = os.path.join(VAR, "media")
        if s == "billing":
            env["CHANCE_PAYMENT_WEBHOOK_SECRET"] = secret("payment-webhook.key")
            env["CHANCE_PAYMENT_PROVIDER"] = "sandbox"
            env["CHANCE_PAYMENT_PROVIDER_URL"] = acquirer_url
        if s == "notifications":
            env.update({"CHANCE_SMTP_URL": f"smtp://127.0.0.1:{ports['smtp']}", "CHANCE_SMS_URL": sms.url,
                        "CHANCE_IDENTITY_URL": urls["identity"]})
        services.append(Service(s, os.path.join(build, s, f"chance-{s}"), ports[s], env))
    # The sandbox acquirer: billing creates payments at it; it notifies billing's webhook (signed with the shared
    # key) and its pages are reached through the gateway's /pay/*.
    env = dict(os.environ)
    env.update({"CHANCE_HTTP_HOST": "127.0.0.1", "CHANCE_HTTP_PORT": str(ports["acquirer"]),
                "CHANCE_LOG_LEVEL": args.log_level, "CHANCE_PUBLIC_ORIGIN": origin,
                "CHANCE_WEBHOOK_URL": f"{urls['billing']}/api/v1/payments/webhook",
                "CHANCE_PAYMENT_WEBHOOK_SECRET": secret("payment-webhook.key")})
    services.insert(0, Service(ACQUIRER, acquirer_binary, ports["acquirer"], env))

    stopping = threading.Event()

    def on_signal(*_):
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for svc in services:
        svc.start()
    infra.write_json(STATE, {"pid": os.getpid(), "ports": ports,
                             "services": {s.name: {"port": s.port, "pid": s.proc.pid} for s in services}})

    announced = False
    try:
        while not stopping.is_set():
            now = time.time()
            for svc in services:
                if svc.proc is not None and svc.proc.poll() is not None:
                    code = svc.proc.returncode
                    svc.proc = None
                    if now - svc.started_at > 60:
                        svc.backoff = 0.5  # it had been healthy for a while
                    svc.next_start = now + svc.backoff
                    say(f"{svc.name} exited with code {code}; restarting in {svc.backoff:.1f}s "
                        f"(restart #{svc.restarts + 1})")
                    svc.backoff = min(svc.backoff * 2, 30.0)
                elif svc.proc is None and now >= svc.next_start:
                    svc.restarts += 1
                    svc.start()
                    infra.write_json(STATE, {"pid": os.getpid(), "ports": ports,
                                             "services": {s.name: {"port": s.port, "pid": s.proc.pid if s.proc else None}
                                                          for s in services}})
            if not announced and all(svc.readyz()[0] == 200 for svc in services):
                announced = True
                threading.Thread(target=make_media, args=(pg, stopping), daemon=True).start()
                print_status(services)
                say(f"all services ready in {time.time() - t0:.2f}s")
                say(f"Шанс-видео: {origin}   demo customer: {DEMO[0]} / {DEMO[1]}")
                say(f"every email the store sends: http://localhost:{ports['mailbox']}/ (Maildir var/mail); "
                    "SMS: var/sms/sms.jsonl; logs: var/log/. Ctrl-C stops.")
            stopping.wait(0.1)
    finally:
        say("stopping…")
        for svc in reversed(services):
            svc.stop()
        sms.stop()
        smtp.stop()
        nats.stop()
        pg.stop("fast")
        try:
            os.remove(STATE)
        except FileNotFoundError:
            pass
        say("stopped; data kept in var/")


def make_media(pg, stopping):
    """Sample screenings for the catalog, made once in the background with ffmpeg (var/media)."""
    media = os.path.join(VAR, "media")
    script = os.path.join(ROOT, "scripts", "make-media")
    jobs = [("default", "Шанс-видео")]
    try:
        rows = pg.psql("SELECT id || '|' || title FROM premieres ORDER BY featured DESC, id", "chance_premieres")
        jobs += [tuple(line.split("|", 1)) for line in rows.splitlines() if "|" in line]
    except subprocess.CalledProcessError:
        pass
    missing = [j for j in jobs if not os.path.exists(os.path.join(media, j[0], "master.m3u8"))]
    if missing:
        say(f"making {len(missing)} sample screenings with ffmpeg in the background (var/media)")
    for name, title in missing:
        if stopping.is_set():
            return
        subprocess.run([script, os.path.join(media, name), title], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def print_status(services):
    with print_lock:
        print(f"{'service':18}{'pid':>8}{'port':>7}  readyz")
        for s in services:
            code, body = s.readyz()
            print(f"{s.name:18}{s.proc.pid if s.proc else '-':>8}{s.port:>7}  {code} {body.strip()}")
        sys.stdout.flush()


def status(_args):
    if not os.path.exists(STATE):
        print("launcher: not running (no var/run/launcher.json)")
        return 1
    with open(STATE) as f:
        state = json.load(f)
    bad = 0
    for name, info in state["services"].items():
        code, body = infra.http_get(f"http://127.0.0.1:{info['port']}/readyz")
        bad += code != 200
        print(f"$ curl http://127.0.0.1:{info['port']}/readyz   # {name}, pid {info['pid']}\n{code} {body.strip()}")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    for key in DEFAULT_PORTS:
        r.add_argument(f"--{key}-port", type=int)
    r.add_argument("--preset", default="release")
    r.add_argument("--log-level", default=os.environ.get("CHANCE_LOG_LEVEL", "info"))
    sub.add_parser("status")
    args = ap.parse_args()
    return run(args) if args.cmd == "run" else status(args)


if __name__ == "__main__":
    sys.exit(main() or 0)
