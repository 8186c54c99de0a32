"""The saga-statements baseline of bench/purchase: pgbench running, per transaction, the statements one purchase
(POST /api/v1/rent/) issues in premieres' and billing's databases, in order, with the same commits
(bench/purchase/saga.sql), -M prepared as the services bind them. (The gateway answers a known session from
memory, ADR 0013: it issues no statement per purchase.)

pgbench connects to one database, and a purchase's statements go to two. The baseline database `saga` holds
copies of the services' databases as the purchase pass left them, each in a schema named after its service
(premieres, billing), with `search_path = premieres, billing`: the statements keep the services' text, tables
and indexes, and one pgbench transaction is one purchase, its statements in the order the services issue them,
each client one customer. The copies are made after the store's services are stopped, so the baseline's writes
never touch the store's databases."""
import datetime
import json
import os
import re
import resource
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "saga.sql")
DB = "saga"
# The databases a purchase uses, in the order of the search path (the first that has a table name wins: only
# premieres' outbox has a namesake, billing's, which a purchase does not write).
SERVICES = ("premieres", "billing")
# The tables billing's statements in saga.sql name: premieres' schema, before billing's, must have none of them.
TABLES = {"billing": ("accounts", "transactions", "entries")}
KEY_BASE = 10**18  # saga.sql's Idempotency-Keys: 19 digits, increasing per client from here


def rent_request(premiere):
    """The load generator's purchase: POST /api/v1/rent/ of one premiere for 24 hours, a fresh key each."""
    return {"name": "rent", "method": "POST", "targets": ["/api/v1/rent/"],
            "bodies": [f'{{"id": {premiere}, "period": 24}}'], "headers": {"Idempotency-Key": "{uuid}"}}


def _bench_ids(sql):
    return re.sub(r",\s*-- bench ids.*?-- end bench ids", "", sql, flags=re.S)


def normalise(sql):
    """A statement's shape, to compare saga.sql with pg_stat_statements: parameters ($n, :name) and constants
    (which pg_stat_statements shows as $n) as ?, whitespace collapsed."""
    q = _bench_ids(sql).replace("\\gset", "").strip().rstrip(";")
    q = re.sub(r"'(?:[^']|'')*'", "?", q)
    q = re.sub(r"\$\d+|(?<!:):[A-Za-z_]\w*", "?", q)
    q = re.sub(r"(?<![\w$.?])\d+(?![\w.])", "?", q)
    q = re.sub(r"(?<!IS )(?<!NOT )\bNULL\b", "?", q)
    q = re.sub(r"\binterval \?", "?", q)
    q = re.sub(r"\s+", " ", q)
    return re.sub(r"\s*([(),])\s*", r"\1", q).strip()


def statements():
    """[(service, normalised statement)] of saga.sql in order; the service is named by the comment before it."""
    out, service, buf = [], None, []
    for line in open(SCRIPT, encoding="utf-8"):
        s = line.strip()
        m = re.match(r"-- (gateway|premieres|billing) \(", s)
        if not buf and m:
            service = m.group(1)
        if not buf and (not s or s.startswith("--") or s.startswith("\\set")):
            continue
        buf.append(line)
        if s.endswith(";") or s == "\\gset" or s.endswith("\\gset"):
            out.append((service, normalise("".join(buf))))
            buf = []
    return out


def _psql_script(pg, db, sql):
    subprocess.run([os.path.join(pg.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                    str(pg.port), "-U", "postgres", "-d", db], input=sql, check=True, capture_output=True, text=True)


def prepare(pg, clients):
    """Makes the `saga` database from the store's (its services stopped) and returns pgbench's -D variables: the
    parameters a purchase binds, taken from the last purchase of the pass (its line, its hashes, its event)."""
    pg.psql(f"DROP DATABASE IF EXISTS {DB}")
    pg.psql(f"CREATE DATABASE {DB} TEMPLATE chance_premieres OWNER chance")
    pg.psql("ALTER SCHEMA public RENAME TO premieres", DB)
    for svc in SERVICES[1:]:
        tmp = f"{DB}_{svc}"
        pg.psql(f"DROP DATABASE IF EXISTS {tmp}")
        pg.psql(f"CREATE DATABASE {tmp} TEMPLATE chance_{svc}")
        pg.psql(f"ALTER SCHEMA public RENAME TO {svc}", tmp)
        dump = subprocess.run([os.path.join(pg.bin, "pg_dump"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",
                               "-n", svc, tmp], check=True, capture_output=True, text=True).stdout
        _psql_script(pg, DB, dump)
        pg.psql(f"DROP DATABASE {tmp}")
    pg.psql(f"ALTER DATABASE {DB} SET search_path = {', '.join(SERVICES)}")
    # Each table billing's statements name is billing's under that search path.
    for svc, tables in TABLES.items():
        for t in tables:
            found = pg.psql(f"SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            f"WHERE c.oid = '{t}'::regclass", DB)
            assert found == svc, f"{t} resolves to {found}, not {svc}"
    # The customers of the pass (those who paid an order), one per client: saga.sql names them by user_base +
    # client_id. Their wallets hold enough for any run's length (the copy's ledger is not kept balanced).
    users = sorted(int(u) for u in pg.psql("SELECT DISTINCT user_id FROM premieres.orders WHERE status = 'paid'",
                                           DB).split())
    assert users == list(range(users[0], users[0] + clients)), f"the pass's customers: {users}, for {clients} clients"
    pg.psql("UPDATE billing.accounts SET balance = 1000000000000000 WHERE kind = 'wallet'", DB)

    def one(sql):
        return pg.psql(sql, DB)

    last = "(SELECT id FROM premieres.orders WHERE status = 'paid' ORDER BY paid_at DESC LIMIT 1)"
    line = json.loads(one(
        f"SELECT json_build_object('premiere_id', premiere_id, 'title', title, 'period', period, "
        f"'starts_at', premieres.rfc3339(starts_at), 'ends_at', premieres.rfc3339(ends_at), 'price', price, "
        f"'starts_on_payment', starts_on_payment, 'discount', discount, 'show_id', show_id) "
        f"FROM premieres.order_items WHERE order_id = {last}"))
    total = int(one(f"SELECT total FROM premieres.orders WHERE id = {last}"))
    envelope = json.loads(one("SELECT envelope::text FROM premieres.outbox WHERE type = 'premieres.order.paid.v1' "
                              "ORDER BY created_at DESC LIMIT 1"))
    pg.psql("VACUUM ANALYZE", DB)
    pg.psql("CHECKPOINT")
    now = datetime.datetime.now(datetime.timezone.utc)
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    return {
        "user_base": users[0], "rent_key": KEY_BASE,
        "premiere": line["premiere_id"], "total": total, "confirming": "true",
        # The line as premieres serialises it (insert_order): the last purchase's, its window open now.
        "lines": json.dumps([line], **compact),
        "created": json.dumps({"total": total}, **compact),
        "order_hash": one(f"SELECT request_hash FROM premieres.orders WHERE id = {last}"),
        "debit_hash": one(f"SELECT request_hash FROM billing.transactions WHERE order_id = {last}::text"),
        "now": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "subject": "notify.purchase_confirmed", "event_type": envelope["type"],
        "envelope": json.dumps(envelope, **compact),
    }


def counts(pg):
    """Rows a purchase makes in the baseline database: orders paid, debits, outbox events."""
    return [int(pg.psql(q, DB)) for q in (
        "SELECT count(*) FROM premieres.orders WHERE status = 'paid'",
        "SELECT count(*) FROM billing.transactions WHERE type = 'withdraw'",
        "SELECT count(*) FROM premieres.outbox")]


def run(pg, variables, clients, seconds):
    """pgbench -M prepared on saga.sql, one transaction a purchase. Returns (purchases/s, purchases, CPU seconds
    pgbench itself spent) and checks that every purchase counted paid its order, debited and wrote its event."""
    before = counts(pg)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [os.path.join(pg.bin, "pgbench"), "-n", "-M", "prepared", "-c", str(clients), "-j", "2",
            "-T", str(int(seconds)), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "chance", "-f", SCRIPT]
    for k, v in variables.items():
        args += ["-D", f"{k}={v}"]
    out = subprocess.run(args + [DB], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("pgbench (saga statements) failed: " + out.stderr[-3000:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tps = float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))
    done = int(re.search(r"number of transactions actually processed: (\d+)", out.stdout).group(1))
    paid, debits, events = (a - b for a, b in zip(counts(pg), before))
    if not (paid == debits == events and abs(paid - done) <= clients):
        raise RuntimeError(f"the baseline's purchases did not all go through: {done} transactions, {paid} orders "
                           f"paid, {debits} debits, {events} events")
    return tps, done, (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
