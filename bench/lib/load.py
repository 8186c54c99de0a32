"""What the benchmark scripts share: customers with money on their balance, and driving the store with the
C++ load generator (bench/loadgen) — a Python client spends more CPU per purchase than any of our services,
so Python only prepares the run and reads the results."""
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import harness  # noqa: E402

LOADGEN = os.path.join(ROOT, "build", "release", "bench", "bench_loadgen")


# The tests shorten times (a 24-hour reminder lead makes every purchase remind at once); a benchmark runs the
# store as production would.
PRODUCTION_ENV = {"CHANCE_REMINDER_LEAD_MINUTES": "60"}


def build_release():
    subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def providers_on_machines_of_their_own(store):
    """The SMTP and SMS sinks stand in for a mail provider and an SMS gateway, which run on machines of their own
    and answer at their own pace. Here they share the two cores with the store, and Linux's autogroup scheduler
    splits the CPU equally between sessions (every service and sink is one): under saturation the one-threaded
    SMTP sink, ~1 ms of Python per email, gets its 1/N and the emails queue in front of it, not in the store.
    Its work is then done after the measured window, which also overstates the rate the store sustains.
    Their sessions get the weight of nice -10 here, so they keep pace as a provider would; their CPU still comes
    out of the same two cores and is still counted."""
    for sink in (store.smtp, store.sms):
        pid = sink.proc.pid
        try:
            with open(f"/proc/{pid}/autogroup", "w") as f:
                f.write("-10")
        except OSError:
            pass  # no autogroup scheduling: the threads' own priority below is what counts
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                os.setpriority(os.PRIO_PROCESS, int(tid), -10)
            except OSError:
                pass


def wait_for_emails(store, template, n, timeout=120):
    """Waits until n deliveries of `template` have been sent; returns the seconds it took."""
    start = time.time()
    while time.time() - start < timeout:
        sent = int(store.pg.psql(f"SELECT count(*) FROM deliveries WHERE template = '{template}' AND status = 'sent'",
                                 "chance_notifications").strip())
        if sent >= n:
            return time.time() - start
        time.sleep(0.1)
    raise RuntimeError(f"{n} emails {template} not sent within {timeout} s")


def customers(store, n, tag, top_ups=1, amount=100_000_000, webhook=None):
    """n signed-in customers, each credited top_ups × amount (kopecks): a payment created at the sandbox
    acquirer and its signed notification (without the card page), posted by `webhook(store, body)` (default:
    harness.webhook, straight to the single-machine store's billing)."""
    webhook = webhook or harness.webhook
    out = []
    for i in range(n):
        b = harness.customer(store, f"{tag}{i}")
        for _ in range(top_ups):
            payment = b.post("/api/v1/billing/fill", {"summ": amount})[1]["payment_id"]
            status = webhook(store, {"event_id": uuid.uuid4().hex, "payment_id": payment,
                                             "status": "succeeded", "amount": amount})
            assert status == 200, status
        out.append(b)
    return out


def session(browser):
    """The headers a signed-in browser sends: session cookie, CSRF token, the store's Origin."""
    h = {"Accept": "application/json", "Origin": browser.store.origin}
    if browser.cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    if browser.csrf:
        h["X-CSRF-Token"] = browser.csrf
    return h


def run(port, requests, sessions=(), connections=16, duration=10.0, rate=0.0, count=0, log=None):
    """Drives 127.0.0.1:port with a weighted mix (see bench/loadgen/loadgen.cpp) and returns its report:
    counts by status, ok_rate, p50/p95/p99/max ms overall and by_name."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"sessions": list(sessions), "requests": requests}, f)
    try:
        args = [LOADGEN, "--port", str(port), "--mix", f.name, "--connections", str(connections),
                "--duration", str(duration), "--rate", str(rate), "--requests", str(count)]
        if log:
            args += ["--log", log]
        return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    finally:
        os.unlink(f.name)


def cpu_per(before, after, n, what="purchase"):
    """One line: ms of CPU per `what` for each process of the store (Store.cpu_seconds before and after n of
    them), busiest first, and their total — where the CPU goes on a box where everything shares 2 cores."""
    spent = sorted(((k, (after[k] - before.get(k, 0.0)) * 1000 / max(1, n)) for k in after), key=lambda kv: -kv[1])
    return (f"CPU ms per {what}: " + ", ".join(f"{k} {v:.2f}" for k, v in spent)
            + f"; total {sum(v for _, v in spent):.2f}")


# Online Boutique's weights (bench/store_mix, bench/cluster).
CART_CHOICES = 3
BOUTIQUE_WEIGHTS = {"browse": 10, "cart view": 3, "add to cart": 2, "home": 1, "checkout": 1}
HOME = "/api/v1/search/?q=&page=1&limit=12"


def boutique_mix(b, weights=BOUTIQUE_WEIGHTS):
    """The store mix as a signed-in customer `b` sees the catalog: browse (a premiere page) : cart view : add to
    cart : home (the featured premieres) : checkout (POST /rent/ of what can be bought now). Returns (mix for
    run(), premiere ids, {id: premiere page}, buyable ids). Add to cart puts one of the first CART_CHOICES (3)
    premieres in the cart, so a customer's cart holds at most that many, as a shopper's does (checkout buys
    directly and leaves the cart alone: with the whole catalog to choose from, every cart grew to every premiere,
    each answer carrying 58 premiere cards, while nginx served the one-item cart captured at the start)."""
    ids = [p["id"] for page in (1, 2) for p in b.get(f"/api/v1/search/?q=&page={page}&limit=50")[1]["items"]]
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    pages = {i: b.get(f"/api/v1/premiere/{i}")[1] for i in ids}
    # Checkout buys what can be bought now: no live show's limited seats, inside the reservable window.
    buyable = [i for i, p in pages.items() if p.get("capacity") is None
               and p["reservation"]["from"] <= now <= p["reservation"]["until"]]
    mix = [
        {"name": "browse", "weight": weights["browse"], "targets": [f"/api/v1/premiere/{i}" for i in ids]},
        {"name": "cart view", "weight": weights["cart view"], "targets": ["/api/v1/cart"]},
        {"name": "add to cart", "weight": weights["add to cart"], "method": "POST", "targets": ["/api/v1/cart/items"],
         "bodies": [json.dumps({"premiere_id": i}) for i in ids[:CART_CHOICES]]},
        {"name": "home", "weight": weights["home"], "targets": [HOME]},
        {"name": "checkout", "weight": weights["checkout"], "method": "POST", "targets": ["/api/v1/rent/"],
         "bodies": [json.dumps({"id": i, "period": 24}) for i in buyable], "headers": {"Idempotency-Key": "{uuid}"}},
    ]
    return mix, ids, pages, buyable


def errors(report):
    """{status: count} of the answers that were not 2xx (connection errors as 'error')."""
    return {k: v for k, v in report["status"].items() if not k.startswith("2")}
