"""bench/search's second baseline: Sphinx 2.2.11 (Debian's `sphinxsearch`), the engine a user would pick instead
of ours, on the bench's generated catalog, configured as its manual advises for Russian, against our search in
the same run (issue 26).

- **Sphinx**: the rows our search reads (`premieres`, not hidden: title, cast, theatre, director, both
  descriptions) indexed straight from the bench's PostgreSQL (a pgsql source) with `libstemmer_russian`,
  `min_prefix_len = 3`, `index_exact_words`, `expand_keywords`, a UTF-8 charset_table folding ё to е; field
  weights in the query as ours weighs the fields (title 10, cast 4, theatre and director 2, descriptions 1).
  Typos: Sphinx's suggest recipe on the client (bench/search/sphinxql.cpp): a dictionary of the index's words
  with their frequencies (`indexer --buildstops … --buildfreqs`), a second index of the trigrams of those
  seen at least 40 times, and, when a search finds nothing, one query by trigrams per word the dictionary
  does not know, the candidate within Levenshtein distance 2 with the most trigrams and the highest frequency,
  then the corrected search: those round trips count in Sphinx's latency. searchd listens on 127.0.0.1 only,
  its files in the bench's temporary directory; it is stopped at the end.
- **Ours**: GET /api/v1/search/ (and /search/suggest for prefixes) of the premieres service, driven by
  bench/loadgen; Sphinx by bench_sphinxql (C++, one SphinxQL connection per client thread). Both closed loop.
- **The terms.** Every generated title is «<one of 40 words> <one of 20 words> <its number>»: each title word
  is in 2,500 titles or more, and the only title token in at most 10 titles is the premiere's number (in one).
  So a term is made from one premiere's title and keeps its number, and knows that premiere:
  - exact: the title as it is («Чайка сад 4711»);
  - inflected: one of its words in another case («Чайки сад 4711»);
  - typo: a letter dropped inside its longest word («Чака сад 4711»);
  - prefix (search-as-you-type): the title cut inside its number («Чайка сад 471»), kept when at most 10
    titles start with it.
- **Passes**, per kind, at 16 and 1 clients: *uncached* sends each term once (ours: a fresh premieres process,
  its answer cache empty; Sphinx 2.2.11 has no result cache, its query cache came with 2.3), after 64 terms of
  other premieres on both sides (which prepare the fresh process's pooled connections: its start, not a
  search); *cached* rotates the same terms for COMPARE_SECONDS (ours: the warm process; Sphinx: the same,
  nothing of its own to warm).
- **CPU per search** during the 16-client passes, from /proc/<pid>/stat (utime + stime): searchd; ours the
  premieres process plus the PostgreSQL backends it holds (its pool and its listener).
- **Recall@10** per kind: the share of terms whose premiere is in the first 10 results (ours: one request,
  the first 10 items of its page; Sphinx: its answer after its suggest round trips). Prefixes count the 8
  places of our suggest list for both sides (Sphinx asked for 8).
Goals (issue 26): uncached, 16 clients: >= 2x Sphinx's q/s and p99 <= Sphinx's, every kind; cached, 16
clients: >= 3x Sphinx's q/s; recall@10 >= Sphinx's on every kind."""
import bisect
import http.client
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
import infra  # noqa: E402

SECONDS = float(os.environ.get("COMPARE_SECONDS", "4"))
TERMS = int(os.environ.get("COMPARE_TERMS", "2000"))
SINGLE_TERMS = int(os.environ.get("COMPARE_SINGLE_TERMS", str(TERMS // 2)))  # the 1-client uncached pass
# Terms of other premieres sent before an uncached pass, on both sides: a fresh premieres process's pooled
# connections prepare their statements on first use, which is the process's start, not a search.
WARMUP = 64
LOADGEN = os.path.join(ROOT, "build/release/bench/bench_loadgen")
SPHINXQL = os.path.join(ROOT, "build/release/bench/bench_sphinxql")
KINDS = ("exact", "inflected", "typo", "prefix")
FREQ_THRESHOLD = 40  # the suggest recipe's: rarer dictionary words are not offered as corrections

# Another case of each word the generator puts in titles (bench/search/generate.sql); indeclinable ones have none.
FORMS = {
    "Буря": "Бури", "Вишнёвый": "Вишнёвого", "Мастер": "Мастера", "Гроза": "Грозы", "Лес": "Леса", "Бег": "Бега",
    "Чайка": "Чайки", "Маскарад": "Маскарада", "Идиот": "Идиота", "Ревизор": "Ревизора", "Шинель": "Шинели",
    "Дуэль": "Дуэли", "Метель": "Метели", "Пиковая": "Пиковой", "Снегурочка": "Снегурочки", "Макбет": "Макбета",
    "Фауст": "Фауста", "Дядя": "Дяди", "Женитьба": "Женитьбы", "Игроки": "Игроков", "Дачники": "Дачников",
    "Варвары": "Варваров", "Мещане": "Мещан", "Самоубийца": "Самоубийцы", "Мандат": "Мандата", "Клоп": "Клопа",
    "Баня": "Бани", "Зойкина": "Зойкиной", "Бесы": "Бесов", "Подросток": "Подростка", "Кроткая": "Кроткой",
    "Двойник": "Двойника", "Обломов": "Обломова", "Мёртвые": "Мёртвых", "Записки": "Записок", "Вий": "Вия",
    "Нос": "Носа", "Коляска": "Коляски",
    "сад": "саду", "квартира": "квартиры", "ночь": "ночи", "душа": "души", "сердце": "сердца", "дом": "дома",
    "город": "города", "остров": "острова", "берег": "берега", "поезд": "поезда", "бал": "бала", "век": "века",
    "сон": "сна", "лето": "лета", "зима": "зимы", "дорога": "дороги", "война": "войны", "любовь": "любви",
    "правда": "правды", "тень": "тени",
}

CHARSET = "0..9, A..Z->a..z, _, a..z, U+410..U+42F->U+430..U+44F, U+430..U+44F, U+401->U+435, U+451->U+435"


def make_terms(titles, count, seed=11):
    """{kind: [(term, premiere id)]}: up to `count` terms per kind from {id: title}, as the docstring says."""
    rnd = random.Random(seed)
    lowered = sorted(t.lower() for t in titles.values())
    known = {w.lower() for t in titles.values() for w in t.split()}
    sources = sorted((i, t.split()) for i, t in titles.items()
                     if len(t.split()) >= 3 and t.split()[-1].isdigit() and len(t.split()[-1]) >= 4)

    def titles_starting(prefix):
        prefix = prefix.lower()
        return bisect.bisect_left(lowered, prefix + "\U0010ffff") - bisect.bisect_left(lowered, prefix)

    def inflected(words):
        options = [k for k, w in enumerate(words[:-1]) if w in FORMS]
        if not options:
            return None
        k = rnd.choice(options)
        return words[:k] + [FORMS[words[k]]] + words[k + 1:]

    def typo(words):
        k = max(range(len(words) - 1), key=lambda j: len(words[j]))
        w = words[k]
        if len(w) < 4:
            return None
        i = rnd.randrange(1, len(w) - 1)
        changed = w[:i] + w[i + 1:]
        if changed.lower() in known:
            return None
        return words[:k] + [changed] + words[k + 1:]

    def prefix(words):
        cut = " ".join(words[:-1] + [words[-1][:-1]])
        return cut.split() if titles_starting(cut) <= 10 else None

    make = {"exact": lambda words: words, "inflected": inflected, "typo": typo, "prefix": prefix}
    out = {}
    for kind in KINDS:
        picked = []
        for i, words in rnd.sample(sources, len(sources)):
            term = make[kind](words)
            if term:
                picked.append((" ".join(term), i))
            if len(picked) == count:
                break
        out[kind] = picked
    return out


class Sphinx:
    """searchd and its indexes in `base`/sphinx, built from the bench's PostgreSQL database."""

    def __init__(self, base, pg, db, user):
        self.dir = os.path.join(base, "sphinx")
        os.makedirs(self.dir, exist_ok=True)
        self.port = infra.free_port()
        self.conf = os.path.join(self.dir, "sphinx.conf")
        self.dict = os.path.join(self.dir, "dict.txt")
        self.suggest_tsv = os.path.join(self.dir, "suggest.tsv")
        self.proc = None
        d = self.dir
        with open(self.conf, "w") as f:
            f.write(f"""# Written by bench/search/sphinx.py for one run.
source premieres
{{
    type = pgsql
    sql_host = 127.0.0.1
    sql_port = {pg.port}
    sql_user = {user}
    sql_pass =
    sql_db = {db}
    sql_query_pre = SET client_encoding TO 'UTF8'
    # The fields our search weighs (the search document of migration 0010): title, cast, theatre and director,
    # the descriptions; the hidden premieres are not searched.
    sql_query = SELECT id, title, cast_names, theatre, director, description_short, description_full \\
        FROM premieres WHERE NOT hidden
}}

index premieres
{{
    source = premieres
    path = {d}/premieres
    dict = keywords
    morphology = libstemmer_russian
    min_word_len = 1
    min_prefix_len = 3
    index_exact_words = 1
    expand_keywords = 1
    charset_table = {CHARSET}
}}

# The suggest recipe's keyword index: a keyword's trigrams ("__w _wo wor …"), its frequency and length.
source suggest
{{
    type = tsvpipe
    tsvpipe_command = cat {self.suggest_tsv}
    tsvpipe_field = trigrams
    tsvpipe_attr_uint = freq
    tsvpipe_attr_uint = len
    tsvpipe_attr_string = keyword
}}

index suggest
{{
    source = suggest
    path = {d}/suggest
    min_word_len = 1
    charset_table = 0..9, _, a..z, U+430..U+44F
}}

indexer
{{
    mem_limit = 256M
}}

searchd
{{
    listen = 127.0.0.1:{self.port}:mysql41
    log = {d}/searchd.log
    pid_file = {d}/searchd.pid
    workers = threads
    # The per-keyword read buffers are allocated for every query; the default 256K made malloc and page faults
    # searchd's largest cost in a profile, and the index's files sit in the page cache anyway.
    read_buffer = 64K
    binlog_path = # no binary log: the indexes are plain, never written by searchd
}}
""")

    def _indexer(self, *args):
        out = subprocess.run(["indexer", "--config", self.conf, *args], capture_output=True, text=True)
        if out.returncode != 0 or "ERROR:" in out.stdout:
            sys.exit("sphinx indexer failed: " + (out.stdout + out.stderr)[-2000:])

    def build(self):
        """The dictionary, the suggest index's keywords, both indexes; returns seconds spent indexing the
        catalog (the dictionary pass aside)."""
        self._indexer("premieres", "--buildstops", self.dict, "100000000", "--buildfreqs")
        rows = []
        with open(self.dict) as f:
            for line in f:
                word, freq = line.split()
                if int(freq) < FREQ_THRESHOLD or word.isdigit():
                    continue
                padded = f"__{word}__"
                trigrams = " ".join(padded[i:i + 3] for i in range(len(padded) - 2))
                rows.append(f"{len(rows) + 1}\t{trigrams}\t{freq}\t{len(word)}\t{word}\n")
        with open(self.suggest_tsv, "w") as f:
            f.writelines(rows)
        self._indexer("suggest")
        t0 = time.time()
        self._indexer("premieres")
        return time.time() - t0, len(rows)

    def start(self):
        self.proc = infra.spawn(["searchd", "--config", self.conf, "--nodetach"], os.path.join(self.dir, "out.log"))
        infra.wait_port(self.port, 60, "searchd", self.proc)
        return self

    def stop(self):
        if self.proc is not None:
            infra.stop_process(self.proc, timeout=10)
            self.proc = None


def cpu_seconds(pids):
    return sum(infra.tree_cpu_seconds({str(p): p for p in pids}).values())


def compare(pg, base, port, start_premieres, db="chance_premieres", user="chance"):
    """Runs the comparison; prints its table and returns its RESULT lines. start_premieres() makes a fresh
    premieres process on `port` (an empty answer cache, its search index loaded) and returns its pid."""
    titles = {}
    for line in pg.psql("SELECT id, title FROM premieres WHERE slug LIKE 'bench-%' AND NOT hidden", db).splitlines():
        i, title = line.split("|", 1)
        titles[int(i)] = title
    terms = make_terms(titles, TERMS + WARMUP)
    print(f"\nSphinx 2.2.11 baseline: {', '.join(f'{k} {len(v) - WARMUP}' for k, v in terms.items())} terms, "
          f"each made from one premiere's title")

    sphinx = Sphinx(base, pg, db, user)
    try:
        indexing, keywords = sphinx.build()
        sphinx.start()
        print(f"sphinx: indexed {len(titles)} premieres in {indexing:.1f}s; {keywords} suggest keywords; "
              f"searchd on 127.0.0.1:{sphinx.port}")
        return _passes(pg, base, port, start_premieres, db, user, sphinx, terms, len(titles))
    finally:
        sphinx.stop()


def _passes(pg, base, port, start_premieres, db, user, sphinx, terms, n):
    def backends():
        return [int(p) for p in pg.psql(f"SELECT pid FROM pg_stat_activity WHERE usename = '{user}' "
                                        f"AND datname = '{db}'", db).split()]

    def ours(kind, texts, conns, once, pid):
        path = "/api/v1/search/suggest?q=" if kind == "prefix" else "/api/v1/search/?q="
        mix = os.path.join(base, f"cmp-{kind}.mix.json")
        with open(mix, "w") as f:
            json.dump({"requests": [{"name": kind, "method": "GET",
                                     "targets": [path + urllib.parse.quote(t) for t in texts]}]}, f)
        pids = [pid] + backends()
        cpu0 = cpu_seconds(pids)
        args = ["--requests", str(len(texts))] if once else ["--duration", str(SECONDS)]
        report = json.loads(subprocess.run([LOADGEN, "--port", str(port), "--mix", mix, "--connections", str(conns),
                                            *args], check=True, capture_output=True, text=True).stdout)
        cpu = cpu_seconds(pids) - cpu0
        count = sum(report["status"].values())
        ok = sum(v for k, v in report["status"].items() if k.startswith("2"))
        if ok != count:
            sys.exit(f"ours, {kind}: answers other than 2xx: {report['status']}")
        return {"rate": report["rate"], "p50": report["p50_ms"], "p99": report["p99_ms"],
                "cpu_ms": cpu * 1000 / max(count, 1)}

    def theirs(kind, texts, conns, once, ids=None):
        path = os.path.join(base, f"cmp-{kind}.terms.txt")
        with open(path, "w") as f:
            f.writelines(t + "\n" for t in texts)
        args = ["--once"] if once else ["--duration", str(SECONDS)]
        if ids:
            args += ["--ids", ids]
        cpu0 = cpu_seconds([sphinx.proc.pid])
        out = subprocess.run([SPHINXQL, "--port", str(sphinx.port), "--terms", path, "--connections", str(conns),
                              "--mode", "prefix" if kind == "prefix" else "search",
                              "--limit", "8" if kind == "prefix" else "10", "--dict", sphinx.dict, *args],
                             capture_output=True, text=True)
        cpu = cpu_seconds([sphinx.proc.pid]) - cpu0
        if out.returncode != 0:
            sys.exit(f"bench_sphinxql, {kind}: {out.stderr[-2000:]}")
        report = json.loads(out.stdout)
        return {"rate": report["rate"], "p50": report["p50_ms"], "p99": report["p99_ms"],
                "cpu_ms": cpu * 1000 / max(report["searches"], 1),
                "trips": report["round_trips"] / max(report["searches"], 1),
                "corrected": report["corrected"]}

    def ours_recall(kind, pairs):
        depth = 8 if kind == "prefix" else 10
        path = "/api/v1/search/suggest?q=" if kind == "prefix" else "/api/v1/search/?q="
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        hits, missed = 0, []
        for text, expected in pairs:
            conn.request("GET", path + urllib.parse.quote(text))
            r = conn.getresponse()
            body = json.loads(r.read())
            if r.status != 200:
                sys.exit(f"ours, {kind} {text!r}: {r.status} {body}")
            found = expected in [item["id"] for item in body["items"][:depth]]
            hits += found
            if not found:
                missed.append(text)
        conn.close()
        return hits / len(pairs), missed

    results = {}
    for kind in KINDS:
        pairs, warm = terms[kind][:-WARMUP], [t for t, _ in terms[kind][-WARMUP:]]
        texts = [t for t, _ in pairs]
        single = texts[:SINGLE_TERMS]
        r = results[kind] = {}
        pid = start_premieres()
        ours(kind, warm, 16, True, pid)
        r["ours uncached 16"] = ours(kind, texts, 16, True, pid)
        r["ours cached 16"] = ours(kind, texts, 16, False, pid)
        r["ours cached 1"] = ours(kind, texts, 1, False, pid)
        r["ours recall"], r["ours missed"] = ours_recall(kind, pairs)
        ids = os.path.join(base, f"cmp-{kind}.ids.txt")
        theirs(kind, warm, 16, True)
        r["sphinx uncached 16"] = theirs(kind, texts, 16, True, ids)
        with open(ids) as f:
            answers = [line.strip().split(",") for line in f]
        r["sphinx missed"] = [t for (t, e), a in zip(pairs, answers) if str(e) not in a]
        r["sphinx recall"] = 1 - len(r["sphinx missed"]) / len(pairs)
        r["sphinx cached 16"] = theirs(kind, texts, 16, False)
        r["sphinx cached 1"] = theirs(kind, texts, 1, False)
        r["sphinx uncached 1"] = theirs(kind, single, 1, True)
        pid = start_premieres()
        ours(kind, warm, 16, True, pid)
        r["ours uncached 1"] = ours(kind, single, 1, True, pid)

    lines = []
    print(f"\nours vs Sphinx 2.2.11 on {n} premieres ({TERMS} terms a kind; uncached: each term once, "
          f"{SINGLE_TERMS} at 1 client; cached: {SECONDS:g}s of rotation)")
    print(f"{'kind':10}{'pass':14}{'ours q/s':>10}{'Sphinx':>9}{'ratio':>7}{'ours p50':>10}{'Sphinx':>9}"
          f"{'ours p99':>10}{'Sphinx':>9}{'ratio':>7}{'CPU ms/search ours/Sphinx':>27}")
    for kind in KINDS:
        r = results[kind]
        for when in ("uncached", "cached"):
            for conns in (16, 1):
                o, s = r[f"ours {when} {conns}"], r[f"sphinx {when} {conns}"]
                q_ratio, p99_ratio = o["rate"] / s["rate"], o["p99"] / s["p99"]
                cpu = f"{o['cpu_ms']:.3f}/{s['cpu_ms']:.3f}" if conns == 16 else ""
                print(f"{kind:10}{when + ' ' + str(conns):14}{o['rate']:10.0f}{s['rate']:9.0f}{q_ratio:6.2f}x"
                      f"{o['p50']:8.2f}ms{s['p50']:7.2f}ms{o['p99']:8.2f}ms{s['p99']:7.2f}ms{p99_ratio:6.2f}x{cpu:>27}")
                what = f"{kind} {when}, {conns} client{'s' if conns > 1 else ''}"
                if when == "uncached" and conns == 16:
                    q_goal, q_met = ">= 2.0x", q_ratio >= 2.0
                    p_goal, p_met = "<= 1.0x", p99_ratio <= 1.0
                elif when == "cached" and conns == 16:
                    q_goal, q_met, p_goal, p_met = ">= 3.0x", q_ratio >= 3.0, "-", None
                else:
                    q_goal, q_met, p_goal, p_met = "-", None, "-", None
                lines.append(_result(f"{what}: q/s", f"{o['rate']:.0f}", f"{s['rate']:.0f}", f"{q_ratio:.2f}x",
                                     q_goal, q_met))
                lines.append(_result(f"{what}: p50 ms", f"{o['p50']:.2f}", f"{s['p50']:.2f}",
                                     f"{o['p50'] / s['p50']:.2f}x", "-", None))
                lines.append(_result(f"{what}: p99 ms", f"{o['p99']:.2f}", f"{s['p99']:.2f}", f"{p99_ratio:.2f}x",
                                     p_goal, p_met))
                if conns == 16:
                    lines.append(_result(f"{what}: CPU ms per search", f"{o['cpu_ms']:.3f}", f"{s['cpu_ms']:.3f}",
                                         f"{o['cpu_ms'] / s['cpu_ms']:.2f}x", "-", None))
        o, s = r["ours recall"], r["sphinx recall"]
        depth = "8 (suggest list)" if kind == "prefix" else "10"
        s_trips = r["sphinx uncached 16"]["trips"]
        print(f"{kind:10}recall@{depth}: ours {o:.3f} in one request, Sphinx {s:.3f} "
              f"({s_trips:.2f} round trips a search, {r['sphinx uncached 16']['corrected']} corrected)")
        for side in ("ours", "sphinx"):
            if r[f"{side} missed"]:
                print(f"{'':10}{side} missed, e.g.: {', '.join(r[f'{side} missed'][:5])}")
        lines.append(_result(f"{kind} recall@{depth}", f"{o:.3f}", f"{s:.3f}", f"{o / s:.2f}x" if s else "-",
                             ">= 1.0x", o >= s))
    ours_mb, sphinx_mb = infra.rss_kib(pid) / 1024, infra.rss_kib(sphinx.proc.pid) / 1024
    print(f"resident after the passes: premieres {ours_mb:.0f} MB, searchd {sphinx_mb:.0f} MB")
    lines.append(_result("resident MB after the passes", f"{ours_mb:.0f}", f"{sphinx_mb:.0f}",
                         f"{ours_mb / sphinx_mb:.2f}x", "-", None))
    return lines


def _result(what, ours, theirs, ratio, goal, met):
    verdict = "-" if met is None else ("yes" if met else "no")
    return f"RESULT|search|vs Sphinx: {what}|{ours}|{theirs} (Sphinx)|{ratio}|{goal}|{verdict}"
