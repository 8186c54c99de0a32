#!/usr/bin/python3
"""`make cluster`: the store on three hosts on this machine (network namespaces 127.0.1.1–3), each with an etcd
member, Patroni + PostgreSQL 15 (synchronous replication), a nats-server of a JetStream cluster, its own HAProxy
and one replica of every service; the front door HAProxy serves the store at http://localhost:8080.
Ctrl-C stops everything and removes the namespaces and the data (logs stay in var/cluster/log).

  scripts/cluster.py run [--port N] [--preset release]
  scripts/cluster.py status                 the hosts, the PostgreSQL roles, each service's /readyz
  scripts/cluster.py kill-host N            kill -9 every process of host N (it stays down)
  scripts/cluster.py start-host N           bring host N back with its data
  scripts/cluster.py cut N | heal N         take host N's link down / up again
  scripts/cluster.py render --hosts A,B,C --lb L --network CIDR --public ADDR:PORT --out DIR
                                            deploy/* filled in for three real machines (docs/scaling.md)

The configuration files are in deploy/ (see docs/scaling.md).
"""
import argparse
import os
import signal
import socket
import socketserver
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import cluster as clusterlib  # noqa: E402
import infra  # noqa: E402

CONTROL = "/var/tmp/chance-cluster.sock"
DEMO = ("demo@chance.local", "demo-password-2026")


def say(msg):
    print(f"[cluster] {msg}", flush=True)


def serve_control(c):
    """Commands from `scripts/cluster.py kill-host N` and the like, one line each, over a Unix socket."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            words = self.rfile.readline().decode().split()
            try:
                cmd, n = words[0], int(words[1]) if len(words) > 1 else 0
                if cmd != "status" and n not in (1, 2, 3):
                    raise ValueError("host must be 1, 2 or 3")
                action = {"kill-host": c.kill_host, "start-host": c.start_host, "cut": c.cut_off,
                          "heal": c.heal}.get(cmd)
                if action:
                    action(n)
                    say(f"{cmd} {n}")
                answer = c.status()
            except Exception as e:  # noqa: BLE001 - the answer goes back to the caller
                answer = f"error: {e}"
            self.wfile.write((answer + "\n").encode())

    if os.path.exists(CONTROL):
        os.remove(CONTROL)
    server = socketserver.ThreadingUnixStreamServer(CONTROL, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def control(cmd, n):
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(CONTROL)
            s.sendall(f"{cmd} {n or ''}\n".encode())
            print(s.makefile().read(), end="")
    except OSError:
        print("cluster: not running (start it with `make cluster`)", file=sys.stderr)
        return 1
    return 0


def run(args):
    if infra.port_open(args.port):
        sys.exit(f"cluster: port {args.port} is in use on 127.0.0.1 (is `make run` running?): stop it, or use --port")
    c = clusterlib.Cluster(public_port=args.port, preset=args.preset, log_level=args.log_level, say=say)
    stopping = threading.Event()
    started = threading.Event()

    def on_signal(*_):
        stopping.set()
        if not started.is_set():
            raise KeyboardInterrupt  # out of the start, into the cleanup

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server = None
    try:
        c.start()
        started.set()
        server = serve_control(c)
        print(c.status(), flush=True)
        say(f"Шанс-видео on three hosts: {c.origin}   demo customer: {DEMO[0]} / {DEMO[1]}")
        say(f"HAProxy stats: http://127.0.0.1:{c.stats_port}/   mail: http://127.0.0.1:{c.mailbox_port}/   "
            f"logs: var/cluster/log/   try: scripts/cluster.py kill-host 1. Ctrl-C stops and removes everything.")
        while not stopping.wait(0.5):
            pass
    finally:
        say("stopping…")
        if server:
            server.shutdown()
            server.server_close()
        if os.path.exists(CONTROL):
            os.remove(CONTROL)
        c.stop()
        say("stopped; namespaces and data removed, logs kept in var/cluster/log")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, default=int(os.environ.get("CHANCE_GATEWAY_PORT", 8080)))
    r.add_argument("--preset", default="release")
    r.add_argument("--log-level", default=os.environ.get("CHANCE_LOG_LEVEL", "info"))
    sub.add_parser("status")
    for cmd in ("kill-host", "start-host", "cut", "heal"):
        sub.add_parser(cmd).add_argument("host", type=int, choices=(1, 2, 3))
    r = sub.add_parser("render")
    r.add_argument("--hosts", required=True, help="the three machines' addresses, comma-separated")
    r.add_argument("--lb", required=True, help="the load balancer's address (the gateways trust its X-Forwarded-For)")
    r.add_argument("--network", required=True, help="the CIDR PostgreSQL accepts connections from")
    r.add_argument("--public", default="0.0.0.0:80", help="where the front door listens")
    r.add_argument("--data", default="/var/lib/chance-video", help="each machine's data directory")
    r.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "run":
        return run(args)
    if args.cmd == "render":
        hosts = args.hosts.split(",")
        if len(hosts) != 3:
            sys.exit("cluster: --hosts takes three addresses")
        clusterlib.Cluster().render_install(args.out, hosts, args.lb, args.network, args.public, args.data)
        print(f"rendered into {args.out}/h1 … h3 and {args.out}/front")
        return 0
    return control(args.cmd, getattr(args, "host", 0))


if __name__ == "__main__":
    sys.exit(main() or 0)
