"""Catalog import through the gateway (issue 21, ADR 0023): a file with bad rows is reported row by row and writes
nothing; files that cannot be read are refused naming `file`; a dry run counts what would be created and updated; an
import runs in the background with its progress readable, creates the premieres the storefront then finds, and the
same file again (one row changed) updates one and leaves the rest; only admins may import."""
import json
import socket
import time
import unittest
import urllib.parse
import uuid

from harness import Browser, Store, customer, sql, wait_for

STORE = None
HEADER = ("slug;title;theatre;director;genre;age_rating;duration_minutes;description_short;description_full;"
          "price_theatre;price_online;discount_percent;discount_until;base_period_hours;periods;reservable_from;"
          "reservable_until;live_at;capacity;featured;hidden;cast")


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def admin():
    b = Browser(STORE)
    b.login("admin@chance.local", "admin-password-2026")
    return b


def row(slug, title, price="499,50", periods="24:1|48:1,5", until="2030-01-01T00:00:00Z"):
    return (f'{slug};"{title}";Театр импорта;Режиссёр Импортов;драма;16+;120;Коротко о премьере;'
            f'"Полное ""описание""; с точкой с запятой";1500;{price};;;24;{periods};2026-01-01T00:00:00Z;{until};;;'
            f'нет;нет;Актёр Первый: Герой|Актриса Вторая: Героиня')


def csv(rows):
    return "\ufeff" + HEADER + "\r\n" + "\r\n".join(rows) + "\r\n"


def upload(b, body, content_type="text/csv; charset=utf-8", dry_run=False):
    path = "/api/v1/admin/imports" + ("?dry_run=true" if dry_run else "")
    return b.request("POST", path, body.encode() if isinstance(body, str) else body,
                     headers={"Content-Type": content_type})


def premieres_count():
    return int(sql(STORE, "premieres", "SELECT count(*) FROM premieres"))


def finished(b, job):
    def poll():
        status, now, _ = b.get(f"/api/v1/admin/imports/{job['id']}")
        assert status == 200, now
        return now if now["status"] != "running" else None
    return wait_for(poll, 300)


class Import(unittest.TestCase):
    def test_a_file_with_bad_rows_is_reported_row_by_row_and_writes_nothing(self):
        a = admin()
        before = premieres_count()
        tag = uuid.uuid4().hex[:8]
        rows = [row(f"ok-{tag}-1", f"Первая {tag}"),
                row(f"bad-{tag}-2", f"Вторая {tag}", price="дорого"),
                row(f"bad-{tag}-3", f"Третья {tag}", periods="48:1"),  # the base period (24) is not among them
                row(f"ok-{tag}-1", f"Повтор {tag}")]  # a slug a row above has
        status, problem, headers = upload(a, csv(rows))
        self.assertEqual(status, 422, problem)
        self.assertTrue(headers["content-type"].startswith("application/problem+json"))
        self.assertEqual((problem["total"], problem["valid"], problem["errors_total"]), (4, 1, 3), problem)
        self.assertEqual([(r["row"], r["field"]) for r in problem["rows"]],
                         [(3, "price_online"), (4, "base_period_hours"), (5, "slug")])
        self.assertIn("строке 2", problem["rows"][2]["message"])
        self.assertEqual(premieres_count(), before)  # nothing written
        self.assertEqual(upload(a, csv(rows), dry_run=True)[0], 422)

    def test_files_that_are_not_premieres_are_refused_naming_the_file(self):
        a = admin()
        for body, content_type in ((HEADER.replace("genre", "жанр") + "\r\n" + row("x", "y"), "text/csv"),
                                   ("", "text/csv"), (HEADER + "\r\n", "text/csv"),
                                   ('"open;quote\r\n', "text/csv"), (b"\xff\xfe\x00", "text/csv"),
                                   ("{}", "application/json"), ("[1", "application/json"),
                                   ("slug\r\nx", "text/plain")):
            status, problem, _ = upload(a, body, content_type)
            self.assertEqual((status, problem["errors"][0]["field"]), (400, "file"), (body, problem))
        # More than 32 MiB is refused as soon as its length is announced, before the body is read.
        with socket.create_connection(("127.0.0.1", STORE.ports["gateway"]), timeout=10) as s:
            s.sendall(b"POST /api/v1/admin/imports HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                      b"Content-Length: 34000000\r\n\r\n")
            self.assertTrue(s.recv(200).startswith(b"HTTP/1.1 413"))

    def test_only_admins_import(self):
        body = csv([row(f"nope-{uuid.uuid4().hex[:8]}", "Нельзя")])
        self.assertEqual(upload(customer(STORE, "Импортёр"), body)[0], 403)
        support = Browser(STORE)
        support.login("support@chance.local", "support-password-2026")
        self.assertEqual(upload(support, body)[0], 403)
        self.assertEqual(support.get("/api/v1/admin/imports")[0], 403)
        self.assertEqual(upload(Browser(STORE), body)[0], 401)

    def test_a_season_imports_in_the_background_and_the_same_file_again_changes_only_what_changed(self):
        a = admin()
        tag = uuid.uuid4().hex[:8]
        n = 2000
        rows = [row(f"season-{tag}-{i}", f"Сезон {tag} номер {i}") for i in range(n)]
        status, dry, _ = upload(a, csv(rows), dry_run=True)
        self.assertEqual((status, dry["total"], dry["creates"], dry["updates"]), (200, n, n, 0), dry)
        start = time.monotonic()
        status, job, headers = upload(a, csv(rows))
        self.assertEqual((status, job["status"], job["total"]), (202, "running", n), job)
        self.assertTrue(headers["location"].endswith(job["id"]))
        done = finished(a, job)
        took = time.monotonic() - start
        print(f"\n[import] {n} premieres in {took:.1f} s ({n / took * 60:.0f} a minute, debug build)")
        self.assertEqual((done["status"], done["done"], done["created"], done["updated"]), ("done", n, n, 0), done)
        self.assertIsNotNone(done["finished_at"])
        self.assertIn(job["id"], [i["id"] for i in a.get("/api/v1/admin/imports")[1]["items"]])
        # The storefront finds an imported premiere, with its cast and price from the file.
        title = f"Сезон {tag} номер 7"
        found = wait_for(lambda: [i for i in Browser(STORE).get("/api/v1/search/?q=" + urllib.parse.quote(title))[1]
                                  .get("items", []) if i["title"] == title], 30)
        self.assertTrue(found, title)
        draft = a.get(f"/api/v1/admin/premieres/{found[0]['id']}")[1]
        self.assertEqual((draft["price_online"], draft["cast"][1]["role"]), (49950, "Героиня"), draft)
        self.assertEqual([p["hours"] for p in draft["periods"]], [24, 48])
        # Again, one row changed: one update, the rest unchanged (no new versions).
        rows[3] = row(f"season-{tag}-3", f"Сезон {tag} номер 3 (новая редакция)")
        status, dry, _ = upload(a, csv(rows), dry_run=True)
        self.assertEqual((dry["creates"], dry["updates"]), (0, n), dry)
        status, job, _ = upload(a, csv(rows))
        done = finished(a, job)
        self.assertEqual((done["created"], done["updated"], done["unchanged"]), (0, 1, n - 1), done)
        self.assertEqual(sql(STORE, "premieres", f"SELECT title FROM premieres WHERE slug = 'season-{tag}-3'"),
                         f"Сезон {tag} номер 3 (новая редакция)")

    def test_a_json_file_imports_like_the_editor_writes(self):
        a = admin()
        slug = f"json-{uuid.uuid4().hex[:8]}"
        premiere = {"slug": slug, "title": "Чайка из JSON", "theatre": "МХТ", "director": "Режиссёр",
                    "age_rating": "12+", "duration_minutes": 150, "description_short": "Коротко",
                    "description_full": "Полно", "price_theatre": 200000, "price_online": 59900,
                    "base_period_hours": 24, "periods": [{"hours": 24, "factor": "1.000"}],
                    "reservable_from": "2026-01-01T00:00:00Z", "reservable_until": "2030-01-01T00:00:00Z"}
        status, problem, _ = upload(a, json.dumps([premiere, "not a premiere"]), "application/json")
        self.assertEqual((status, problem["rows"][0]["row"], problem["rows"][0]["field"]), (422, 2, "premiere"))
        status, job, _ = upload(a, json.dumps({"premieres": [premiere]}), "application/json")
        self.assertEqual(status, 202, job)
        self.assertEqual(finished(a, job)["created"], 1)
        self.assertEqual(sql(STORE, "premieres", f"SELECT price_online FROM premieres WHERE slug = '{slug}'"), "59900")


if __name__ == "__main__":
    unittest.main()
