#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) on loopback that keeps every message in a Maildir, and (with --http-port) a
small local mailbox viewer that lists the messages with their text, newest first."""
import argparse
import email
import email.policy
import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import asyncio
import mailbox
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


class MaildirHandler:
    """Delivers as Maildir does (written under tmp/, then renamed into new/), without the fsync of each message
    that mailbox.Maildir.add makes: a stand-in's mail need not outlive a power cut, and the fsync was a fifth of
    the sink's CPU per message, which the benchmarks count with the store's."""

    def __init__(self, path):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        self.path = path
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        key = f"{time.time():.6f}.P{os.getpid()}Q{self.count}.smtp-sink"
        tmp = os.path.join(self.path, "tmp", key)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.path, "new", key))
        print(f"smtp-sink: message {key} from {envelope.mail_from} to {','.join(envelope.rcpt_tos)}", flush=True)
        return "250 Message accepted for delivery"


def viewer(maildir, port):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            box = mailbox.Maildir(maildir, create=False)
            items = []
            for key in box.keys():
                path = os.path.join(maildir, "new", key)
                if not os.path.exists(path):
                    path = os.path.join(maildir, "cur", key)
                with open(path, "rb") as f:
                    msg = email.message_from_binary_file(f, policy=email.policy.default)
                body = msg.get_body(preferencelist=("plain",))
                items.append((os.path.getmtime(path), msg, body.get_content() if body else ""))
            items.sort(key=lambda x: x[0], reverse=True)
            rows = "".join(
                f"<article><h2>{html.escape(str(m['Subject']))}</h2><p class=meta>{html.escape(str(m['Date']))} · "
                f"кому: {html.escape(str(m['To']))}</p><pre>{html.escape(text)}</pre></article>"
                for _, m, text in items[:200])
            page = ("<!doctype html><html lang=ru><meta charset=utf-8><title>Почта Шанс-видео (локально)</title>"
                    "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}article{border-bottom:1px solid #ddd}"
                    ".meta{color:#666}pre{white-space:pre-wrap}</style>"
                    f"<h1>Почта, отправленная магазином ({len(items)})</h1>{rows or '<p>Писем пока нет.</p>'}</html>")
            data = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--http-port", type=int, default=0, help="serve a mailbox viewer on this port")
    a = ap.parse_args()
    controller = Controller(MaildirHandler(a.maildir), hostname=a.host, port=a.port,
                            decode_data=False, enable_SMTPUTF8=True)
    controller.start()
    if a.http_port:
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(a.maildir, sub), exist_ok=True)
        viewer(a.maildir, a.http_port)
        print(f"smtp-sink: mailbox viewer on http://127.0.0.1:{a.http_port}/", flush=True)
    print(f"smtp-sink: listening on {a.host}:{a.port}, Maildir {a.maildir}", flush=True)
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(True))
    loop.run_until_complete(stop)
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
