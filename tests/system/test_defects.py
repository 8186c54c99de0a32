"""Defects found probing the running store (issue #25), each pinned by a test that failed before its fix."""
import socket
import unittest

from harness import Browser, Store

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
