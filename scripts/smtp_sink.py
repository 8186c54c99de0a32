#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) on loopback that keeps every message in a Maildir."""
import argparse
import asyncio
import mailbox
import os
import signal
import sys

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, path):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        self.box = mailbox.Maildir(path, create=False)

    async def handle_DATA(self, server, session, envelope):
        key = self.box.add(envelope.original_content or envelope.content)
        print(f"smtp-sink: message {key} from {envelope.mail_from} to {','.join(envelope.rcpt_tos)}", flush=True)
        return "250 Message accepted for delivery"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    a = ap.parse_args()
    controller = Controller(MaildirHandler(a.maildir), hostname="127.0.0.1", port=a.port,
                            decode_data=False, enable_SMTPUTF8=True)
    controller.start()
    print(f"smtp-sink: listening on 127.0.0.1:{a.port}, Maildir {a.maildir}", flush=True)
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(True))
    loop.run_until_complete(stop)
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
