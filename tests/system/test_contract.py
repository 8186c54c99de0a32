"""Each running service matches its OpenAPI file: every documented path and method exists, and what it
answers to an empty or unknown request is one of the documented statuses (4xx always problem+json)."""
import base64
import hashlib
import hmac
import http.client
import json
import os
import time
import unittest

import yaml

from harness import ROOT, Store

STORE = None


def setUpModule():
    global STORE
    STORE = Store().start()


def tearDownModule():
    STORE.stop()


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def identity(user_id, role):
    """The gateway's signed identity header (libs/auth sign_identity)."""
    payload = "v1." + b64url(json.dumps({"sub": user_id, "role": role, "tz": "Europe/Moscow",
                                         "exp": int(time.time()) + 60}).encode())
    mac = hmac.new(bytes.fromhex(STORE.secret), payload.encode(), hashlib.sha256).digest()
    return payload + "." + b64url(mac)


def call(port, method, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = "{}" if method in ("POST", "PATCH", "PUT") else None
    conn.request(method, path, body=body, headers=dict(headers, **({"Content-Type": "application/json"} if body else {})))
    r = conn.getresponse()
    r.read()
    return r.status, r.getheader("Content-Type", "")


class Contract(unittest.TestCase):
    def check(self, service):
        with open(os.path.join(ROOT, "services", service, "openapi.yaml")) as f:
            spec = yaml.safe_load(f)
        role = "service" if service == "identity" else "customer"
        headers = {"X-Chance-Identity": identity("contract-user", role)}
        if service == "gateway":
            headers = {"Origin": STORE.origin}
        checked = 0
        for path, ops in spec["paths"].items():
            for method, op in ops.items():
                if method not in ("get", "post", "patch", "put", "delete"):
                    continue
                concrete = (path.replace("{id}", "999999").replace("{user}", "nobody"))
                status, ctype = call(STORE.ports[service], method.upper(), concrete, headers)
                documented = {int(code) for code in op["responses"]}
                self.assertIn(status, documented, f"{service} {method.upper()} {path} answered {status}")
                self.assertNotIn(status, (405, 500), f"{service} {method.upper()} {path}")
                if 400 <= status < 500:
                    self.assertTrue(ctype.startswith("application/problem+json"), f"{service} {path}: {ctype}")
                checked += 1
        self.assertGreater(checked, 3)

    def test_premieres(self):
        self.check("premieres")

    def test_billing(self):
        self.check("billing")

    def test_identity(self):
        self.check("identity")

    def test_notifications(self):
        self.check("notifications")

    def test_gateway(self):
        self.check("gateway")


if __name__ == "__main__":
    unittest.main()
