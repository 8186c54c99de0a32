#!/usr/bin/python3
"""The local stand-in for an SMS provider's HTTP API: POST /send {to, text, id} is recorded as one JSON
line in DIR/sms.jsonl; GET /messages returns them all."""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def make_handler(directory):
    path = os.path.join(directory, "sms.jsonl")

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status, body):
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802
            if self.path != "/send":
                return self._reply(404, {"error": "not found"})
            try:
                length = int(self.headers.get("Content-Length", "0"))
                msg = json.loads(self.rfile.read(length))
                if not isinstance(msg, dict) or not msg.get("to") or not msg.get("text"):
                    raise ValueError("to and text are required")
            except (ValueError, json.JSONDecodeError) as e:
                return self._reply(400, {"error": str(e)})
            with LOCK, open(path, "a", encoding="utf-8") as f:
                f.write(json.dumps(msg, ensure_ascii=False) + "\n")
            self._reply(200, {"status": "accepted", "id": msg.get("id")})

        def do_GET(self):  # noqa: N802
            if self.path != "/messages":
                return self._reply(404, {"error": "not found"})
            items = []
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    items = [json.loads(line) for line in f if line.strip()]
            self._reply(200, {"items": items})

        def log_message(self, fmt, *args):
            sys.stdout.write("sms-sink: " + fmt % args + "\n")
            sys.stdout.flush()

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    server = ThreadingHTTPServer((a.host, a.port), make_handler(a.dir))
    import signal
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
