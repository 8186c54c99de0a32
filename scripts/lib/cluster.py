"""The store on three hosts on one machine (`make cluster`, the cluster tests and bench/cluster).

A host is a network namespace (`<prefix>-h1` … `-h3`) whose one link (`eth0`, 127.0.1.N/24) plugs into a bridge
in the machine's own namespace (`<prefix>-br`, 127.0.1.254). Each host runs an etcd member, Patroni with its
PostgreSQL 15, a nats-server of the JetStream cluster, its own HAProxy for calls between services, and one
replica of every service. Outside the hosts, on the bridge's address, sit what a real install has outside its
machines: the front door (HAProxy on 127.0.0.1:<port>), the payment acquirer (sandbox), an SMTP sink and an SMS
sink. The configuration files are deploy/*; this module only fills in addresses and paths.

Killing a host is SIGKILL to every process in its namespace; cutting it off is taking its link down. Nothing
leaves the 127.0.1.0/24 addresses of the bridge and the namespaces.
"""
import json
import os
import pwd
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

import infra

ROOT = infra.ROOT
DEPLOY = os.path.join(ROOT, "deploy")
SERVICES = ["identity", "premieres", "billing", "notifications", "gateway"]
SERVICE_PORTS = {"gateway": 8080, "identity": 8081, "premieres": 8082, "billing": 8083, "notifications": 8084}
EXTERNAL_PORTS = {"smtp": 10025, "sms": 10080, "acquirer": 10090, "webhook": 9083}


def sh(*args, check=True):
    return subprocess.run(list(args), check=check, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def can_make_namespaces():
    """Whether this machine lets us create network namespaces (root with CAP_SYS_ADMIN and CAP_NET_ADMIN)."""
    name = f"chance-probe-{os.getpid()}"
    if sh("ip", "netns", "add", name, check=False).returncode != 0:
        return False
    sh("ip", "netns", "del", name, check=False)
    return True


def http_json(url, timeout=1.0, method="GET"):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode() or "null")


class Proc:
    """One supervised process of a host: restarted after it exits while its host is up."""

    def __init__(self, name, args, env, log_path, netns=None, user=None):
        self.name, self.args, self.env, self.log_path, self.netns, self.user = name, args, env, log_path, netns, user
        self.popen = None
        self.backoff = 0.5
        self.next_start = 0.0
        self.started_at = 0.0
        self.restarts = 0
        self.held = False  # killed on purpose: not restarted until released

    def start(self):
        args = list(self.args)
        if self.user:
            args = ["runuser", "-u", self.user, "--"] + args
        if self.netns:
            args = ["ip", "netns", "exec", self.netns] + args
        self.popen = infra.spawn(args, self.log_path, env=self.env)
        self.started_at = time.time()

    def alive(self):
        return self.popen is not None and self.popen.poll() is None


class Host:
    def __init__(self, cluster, n):
        self.cluster, self.n = cluster, n
        self.name = f"h{n}"
        self.addr = f"{cluster.subnet}.{n}"
        self.netns = f"{cluster.prefix}-h{n}"
        self.veth = f"{cluster.prefix}-v{n}"
        self.dir = os.path.join(cluster.state, self.name)
        self.procs = {}
        self.up = False
        self.cut = False

    def url(self, service):
        return f"http://{self.addr}:{SERVICE_PORTS[service]}"


def in_step(member):
    """A Patroni member that is running and, unless it leads, has replayed everything (lag 0)."""
    return member.get("state") in ("running", "streaming") and (member.get("role") == "leader"
                                                                or member.get("lag", 0) in (0, None))


class Cluster:
    def __init__(self, prefix="chance", subnet="127.0.1", public_port=8080, stats_port=8404, mailbox_port=10026,
                 preset="release", log_level="info", state=None, log_dir=None, seed="demo", say=print,
                 service_env=None):
        self.prefix, self.subnet = prefix, subnet
        self.lb = f"{subnet}.254"
        self.network = f"{subnet}.0/24"
        self.public_port, self.stats_port, self.mailbox_port = public_port, stats_port, mailbox_port
        self.preset, self.log_level, self.seed, self.say = preset, log_level, seed, say
        # PostgreSQL runs as the postgres user, who must reach its data: not under a mode-700 home.
        self.state = state or f"/var/tmp/{prefix}-cluster"
        self.log_dir = log_dir or os.path.join(ROOT, "var", "cluster", "log")
        self.service_env = service_env or {}
        self.hosts = [Host(self, n) for n in (1, 2, 3)]
        self.outside = {}
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.secrets = {}
        self.build = os.path.join(ROOT, "build", preset)

    # ---------------------------------------------------------------- addresses
    @property
    def public_url(self):
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def origin(self):
        return f"http://localhost:{self.public_port}"

    def pg_hosts(self):
        return ",".join(f"{h.addr}:5432" for h in self.hosts)

    # ---------------------------------------------------------------- lifecycle
    def check_binaries(self):
        missing = [p for p in [os.path.join(self.build, "services", s, f"chance-{s}") for s in SERVICES] +
                   [os.path.join(self.build, "tools", "sandbox-acquirer", "chance-sandbox-acquirer")]
                   if not os.path.exists(p)]
        for tool in ("patroni", "etcd", "haproxy", "nats-server"):
            if shutil.which(tool) is None:
                missing.append(tool)
        if missing:
            raise RuntimeError("missing: " + ", ".join(missing) + " (run scripts/bootstrap and make release)")

    def start(self, timeout=120):
        t0 = time.time()
        self.check_binaries()
        if not can_make_namespaces():
            raise RuntimeError("this machine does not let us create network namespaces (ip netns add): the cluster "
                               "needs root with CAP_SYS_ADMIN and CAP_NET_ADMIN")
        self.remove_leftovers()
        os.makedirs(self.state, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        for name in ("superuser", "replication", "rewind", "chance", "internal", "webhook"):
            self.secrets[name] = os.urandom(32).hex()
        self.make_network()
        for h in self.hosts:
            self.render_host(h)
        self.render_front()
        self.start_outside()
        for h in self.hosts:
            self.start_infra(h)
        leader = self.wait_leader(timeout=60)
        self.say(f"PostgreSQL primary: {leader} (Patroni), etcd and NATS clusters up in {time.time() - t0:.1f}s")
        self.wait_databases()
        for h in self.hosts:
            self.start_services(h)
        self.supervisor = threading.Thread(target=self.supervise, daemon=True)
        self.supervisor.start()
        self.wait_ready(timeout=max(10, timeout - (time.time() - t0)))
        self.wait_replication(timeout=max(10, timeout - (time.time() - t0)))
        self.say(f"all three hosts ready in {time.time() - t0:.1f}s")
        return self

    def stop(self):
        self.stopping.set()
        if getattr(self, "supervisor", None) is not None:
            self.supervisor.join()
        with self.lock:
            for h in self.hosts:
                self._kill_host_processes(h, signal.SIGTERM)
            for p in reversed(list(self.outside.values())):
                if p.popen:
                    infra.stop_process(p.popen, timeout=5)
            for sink in (getattr(self, "smtp", None), getattr(self, "sms", None)):
                if sink is not None:
                    sink.stop()
            for h in self.hosts:
                self._kill_host_processes(h, signal.SIGKILL)
        self.remove_leftovers()

    def remove_leftovers(self):
        """Namespaces, bridge and data of an earlier run with this prefix (a Ctrl-C'd or killed one)."""
        for h in self.hosts:
            if os.path.exists(f"/run/netns/{h.netns}"):
                self._kill_namespace(h.netns, signal.SIGKILL)
                sh("ip", "netns", "del", h.netns, check=False)
            sh("ip", "link", "del", h.veth, check=False)
        sh("ip", "link", "del", f"{self.prefix}-br", check=False)
        self._kill_outside_leftovers()
        shutil.rmtree(self.state, ignore_errors=True)

    def _kill_outside_leftovers(self):
        """Processes of an earlier run outside the hosts (front door, acquirer, sinks): they name the state
        directory or the bridge's address in their command line or environment."""
        marks = (self.state.encode(), f"={self.lb}\0".encode(), f" {self.lb} ".encode(), f"\0{self.lb}\0".encode())
        for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
            if pid == os.getpid():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    text = b"\0" + f.read()
                with open(f"/proc/{pid}/environ", "rb") as f:
                    text += b"\0" + f.read() + b"\0"
            except OSError:
                continue
            if any(m in text for m in marks):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    # ---------------------------------------------------------------- network
    def make_network(self):
        br = f"{self.prefix}-br"
        sh("ip", "link", "add", br, "type", "bridge")
        sh("ip", "addr", "add", f"{self.lb}/24", "dev", br)
        # 127.0.0.0/8 is routed off the loopback device only where route_localnet allows it.
        with open(f"/proc/sys/net/ipv4/conf/{br}/route_localnet", "w") as f:
            f.write("1")
        sh("ip", "link", "set", br, "up")
        for h in self.hosts:
            sh("ip", "netns", "add", h.netns)
            sh("ip", "link", "add", h.veth, "type", "veth", "peer", "name", "eth0", "netns", h.netns)
            sh("ip", "link", "set", h.veth, "master", br, "up")
            ns = ["ip", "netns", "exec", h.netns]
            sh(*ns, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf.eth0.route_localnet=1")
            sh(*ns, "ip", "link", "set", "lo", "up")
            sh(*ns, "ip", "addr", "add", f"{h.addr}/24", "dev", "eth0")
            sh(*ns, "ip", "link", "set", "eth0", "up")

    def cut_off(self, n):
        """Takes host n's link down: it keeps running, alone."""
        h = self.hosts[n - 1]
        sh("ip", "link", "set", h.veth, "down")
        h.cut = True

    def heal(self, n):
        h = self.hosts[n - 1]
        sh("ip", "link", "set", h.veth, "up")
        h.cut = False

    # ---------------------------------------------------------------- configuration
    def render(self, template, out, values):
        with open(os.path.join(DEPLOY, template)) as f:
            text = f.read()
        for k, v in values.items():
            text = text.replace(f"@{k}@", v)
        with open(out, "w") as f:
            f.write(text)
        return out

    def values(self, h=None):
        v = {f"HOST{x.n}": x.addr for x in self.hosts}
        v.update({"LB": self.lb, "NETWORK": self.network,
                  "PUBLIC": f"127.0.0.1:{self.public_port}", "STATS": f"127.0.0.1:{self.stats_port}"})
        if h:
            v.update({"NAME": h.name, "HOST": h.addr, "DATA": h.dir})
        return v

    def render_host(self, h):
        os.makedirs(h.dir, exist_ok=True)
        pw = pwd.getpwnam("postgres")
        os.chown(h.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(h.dir, 0o700)
        v = self.values(h)
        self.render("etcd.yml", os.path.join(h.dir, "etcd.yml"), v)
        self.render("nats.conf", os.path.join(h.dir, "nats.conf"), v)
        self.render("haproxy-host.cfg", os.path.join(h.dir, "haproxy.cfg"), v)
        cfg = self.render("patroni.yml", os.path.join(h.dir, "patroni.yml"), v)
        script = os.path.join(h.dir, "post-bootstrap.sh")
        shutil.copy(os.path.join(DEPLOY, "post-bootstrap.sh"), script)
        for path, mode in ((cfg, 0o600), (script, 0o700)):
            os.chown(path, pw.pw_uid, pw.pw_gid)
            os.chmod(path, mode)

    def render_front(self, out=None):
        self.render("haproxy-front.cfg", out or os.path.join(self.state, "haproxy-front.cfg"), self.values())

    def render_install(self, out, addresses, lb, network, public, data="/var/lib/chance-video"):
        """deploy/* filled in for three real machines: out/h1 … out/h3 and out/front (no network, no processes)."""
        self.lb, self.network = lb, network
        for h, addr in zip(self.hosts, addresses):
            h.addr = addr
        for h in self.hosts:
            d = os.path.join(out, h.name)
            os.makedirs(d, exist_ok=True)
            v = self.values(h)
            v["DATA"] = data
            for template, name in (("etcd.yml", "etcd.yml"), ("nats.conf", "nats.conf"),
                                   ("haproxy-host.cfg", "haproxy.cfg"), ("patroni.yml", "patroni.yml")):
                self.render(template, os.path.join(d, name), v)
            shutil.copy(os.path.join(DEPLOY, "post-bootstrap.sh"), os.path.join(d, "post-bootstrap.sh"))
            # @ORIGIN@, @ALLOWED_ORIGINS@, @ACQUIRER@, @SMTP@ and @SMS@ are the outside world's: left to fill in.
            self.render("services.env", os.path.join(d, "services.env"), v)
        os.makedirs(os.path.join(out, "front"), exist_ok=True)
        v = self.values()
        v["PUBLIC"] = public
        self.render("haproxy-front.cfg", os.path.join(out, "front", "haproxy.cfg"), v)

    # ---------------------------------------------------------------- processes
    def log(self, name):
        return os.path.join(self.log_dir, f"{name}.log")

    def start_outside(self):
        mail = os.path.join(ROOT, "var", "cluster", "mail")
        sms = os.path.join(ROOT, "var", "cluster", "sms")
        shutil.rmtree(mail, ignore_errors=True)
        shutil.rmtree(sms, ignore_errors=True)
        self.smtp = infra.SmtpSink(mail, EXTERNAL_PORTS["smtp"], self.log("smtp"), viewer_port=self.mailbox_port,
                                   host=self.lb).start()
        self.sms = infra.SmsSink(sms, EXTERNAL_PORTS["sms"], self.log("sms"), host=self.lb).start()
        acquirer = os.path.join(self.build, "tools", "sandbox-acquirer", "chance-sandbox-acquirer")
        env = dict(os.environ)
        env.update({"CHANCE_HTTP_HOST": self.lb, "CHANCE_HTTP_PORT": str(EXTERNAL_PORTS["acquirer"]),
                    "CHANCE_LOG_LEVEL": self.log_level, "CHANCE_PUBLIC_ORIGIN": self.origin,
                    "CHANCE_WEBHOOK_URL": f"http://{self.lb}:{EXTERNAL_PORTS['webhook']}/api/v1/payments/webhook",
                    "CHANCE_PAYMENT_WEBHOOK_SECRET": self.secrets["webhook"]})
        self.outside["acquirer"] = Proc("acquirer", [acquirer], env, self.log("acquirer"))
        self.outside["haproxy"] = Proc("haproxy", ["haproxy", "-W", "-db", "-f",
                                                   os.path.join(self.state, "haproxy-front.cfg")],
                                       dict(os.environ), self.log("haproxy-front"))
        for p in self.outside.values():
            p.start()

    def infra_procs(self, h):
        env = dict(os.environ)
        penv = dict(env)
        penv.update({"PATRONI_SUPERUSER_PASSWORD": self.secrets["superuser"],
                     "PATRONI_REPLICATION_PASSWORD": self.secrets["replication"],
                     "PATRONI_REWIND_PASSWORD": self.secrets["rewind"], "PYTHONUNBUFFERED": "1",
                     "CHANCE_DB_PASSWORD": self.secrets["chance"]})
        return [
            Proc("etcd", ["etcd", "--config-file", os.path.join(h.dir, "etcd.yml")], env, self.log(f"{h.name}-etcd"),
                 h.netns),
            Proc("nats", ["nats-server", "-c", os.path.join(h.dir, "nats.conf")], env, self.log(f"{h.name}-nats"),
                 h.netns),
            Proc("patroni", ["patroni", os.path.join(h.dir, "patroni.yml")], penv, self.log(f"{h.name}-patroni"),
                 h.netns, user="postgres"),
            Proc("haproxy", ["haproxy", "-W", "-db", "-f", os.path.join(h.dir, "haproxy.cfg")], env,
                 self.log(f"{h.name}-haproxy"), h.netns),
        ]

    def outside_values(self):
        """Where the world outside the hosts is, for deploy/services.env."""
        return {"ORIGIN": self.origin, "ALLOWED_ORIGINS": f"http://127.0.0.1:{self.public_port}",
                "ACQUIRER": f"http://{self.lb}:{EXTERNAL_PORTS['acquirer']}",
                "SMTP": f"smtp://{self.lb}:{EXTERNAL_PORTS['smtp']}",
                "SMS": f"http://{self.lb}:{EXTERNAL_PORTS['sms']}/send"}

    @staticmethod
    def parse_env(text):
        """deploy/services.env, filled in: {section: {name: value}}."""
        sections, current = {}, None
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], {})
            elif current is not None and "=" in line:
                k, v = line.split("=", 1)
                current[k] = v
        return sections

    def service_procs(self, h):
        v = self.values(h)
        v.update(self.outside_values())
        env_file = self.render("services.env", os.path.join(h.dir, "services.env"), v)
        with open(env_file) as f:
            sections = self.parse_env(f.read())
        # What deploy/services.env leaves to the secret store and to this machine.
        local = {"CHANCE_INTERNAL_SECRET": self.secrets["internal"], "PGPASSWORD": self.secrets["chance"],
                 "CHANCE_LOG_LEVEL": self.log_level}
        if self.seed:
            local["CHANCE_SEED"] = self.seed
        extra = {"gateway": {"CHANCE_WEB_DIST": os.path.join(ROOT, "web", "dist")},
                 "premieres": {"CHANCE_MEDIA_DIR": os.path.join(ROOT, "var", "media")},
                 "billing": {"CHANCE_PAYMENT_WEBHOOK_SECRET": self.secrets["webhook"]}}
        procs = []
        for s in SERVICES:
            env = dict(os.environ)
            env.update(sections.get("all", {}))
            env.update(sections.get(s, {}))
            env.update(local)
            env.update(extra.get(s, {}))
            env.update(self.service_env)
            binary = os.path.join(self.build, "services", s, f"chance-{s}")
            procs.append(Proc(s, [binary], env, self.log(f"{h.name}-{s}"), h.netns))
        return procs

    def start_infra(self, h):
        with self.lock:
            for p in self.infra_procs(h):
                h.procs[p.name] = p
                p.start()
            h.up = True

    def start_services(self, h):
        with self.lock:
            for p in self.service_procs(h):
                h.procs[p.name] = p
                p.start()

    def supervise(self):
        """Restarts a process that exited on a host that is up, with backoff (0.5 s doubling to 10 s)."""
        while not self.stopping.wait(0.2):
            with self.lock:
                if self.stopping.is_set():
                    return
                now = time.time()
                groups = [(h.name, h.procs.values()) for h in self.hosts if h.up]
                groups.append(("outside", self.outside.values()))
                for where, procs in groups:
                    for p in procs:
                        if not p.held:
                            self._restart_if_exited(where, p, now)

    def _restart_if_exited(self, where, p, now):
        if p.popen is not None and p.popen.poll() is not None:
            self.say(f"{where} {p.name} exited with code {p.popen.returncode}; restarting in {p.backoff:.1f}s")
            p.popen = None
            if now - p.started_at > 30:
                p.backoff = 0.5
            p.next_start = now + p.backoff
            p.backoff = min(p.backoff * 2, 10.0)
        elif p.popen is None and now >= p.next_start:
            p.restarts += 1
            p.start()

    # ---------------------------------------------------------------- faults
    def _kill_namespace(self, netns, sig):
        r = sh("ip", "netns", "pids", netns, check=False)
        for pid in r.stdout.split():
            try:
                os.kill(int(pid), sig)
            except (ProcessLookupError, ValueError):
                pass

    def _kill_host_processes(self, h, sig):
        self._kill_namespace(h.netns, sig)
        for p in h.procs.values():
            if p.popen is not None:
                try:
                    p.popen.wait(5 if sig == signal.SIGTERM else 2)
                except subprocess.TimeoutExpired:
                    pass

    def kill_host(self, n):
        """kill -9 of every process of host n (etcd, PostgreSQL, Patroni, NATS, HAProxy, every service)."""
        h = self.hosts[n - 1]
        with self.lock:
            h.up = False
            self._kill_namespace(h.netns, signal.SIGKILL)
            for p in h.procs.values():
                if p.popen is not None:
                    p.popen.wait()
                    p.popen = None

    def start_host(self, n):
        """Brings a killed host back with its data: it rejoins by itself (Patroni: as a replica)."""
        h = self.hosts[n - 1]
        with self.lock:
            for p in h.procs.values():
                p.backoff, p.next_start, p.held = 0.5, 0.0, False
                p.start()
            h.up = True

    def kill(self, n, name, sig=signal.SIGKILL, hold=False):
        """One process of host n: the supervisor restarts it, unless `hold` keeps it down until release()."""
        h = self.hosts[n - 1]
        with self.lock:
            p = h.procs[name]
            p.held = hold
            if p.popen is not None:
                os.killpg(p.popen.pid, sig)
                p.popen.wait()

    def release(self, n, name):
        with self.lock:
            p = self.hosts[n - 1].procs[name]
            p.held, p.backoff, p.next_start = False, 0.5, 0.0

    def psql_on(self, n, sql, db="postgres", timeout=30):
        """A statement on host n's PostgreSQL itself, whatever its role, through its Unix socket from inside the
        host (so that it works while the host is cut off). (exit code, output with errors)."""
        h = self.hosts[n - 1]
        r = subprocess.run(["ip", "netns", "exec", h.netns, "runuser", "-u", "postgres", "--",
                            os.path.join(infra.pg_bin_dir(), "psql"), "-X", "-q", "-tA", "-h", h.dir, "-d", db,
                            "-v", "ON_ERROR_STOP=1", "-c", sql],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
        return r.returncode, r.stdout.strip()

    def nats_stream_leader(self, stream):
        """The name (h1…) of the nats-server leading `stream`, from any reachable server's /jsz."""
        for h in self.hosts:
            if not h.up or h.cut:
                continue
            try:
                jsz = http_json(f"http://{h.addr}:8222/jsz?accounts=true&streams=true", timeout=1.0)
            except Exception:  # noqa: BLE001 - try the next server
                continue
            for acc in jsz.get("account_details") or []:
                for st in acc.get("stream_detail") or []:
                    if st.get("name") == stream:
                        return (st.get("cluster") or {}).get("leader")
        return None

    # ---------------------------------------------------------------- state
    def patroni(self, h, path="cluster", timeout=1.0):
        return http_json(f"http://{h.addr}:8008/{path}", timeout=timeout)

    def members(self):
        for h in self.hosts:
            if not h.up or h.cut:
                continue
            try:
                return self.patroni(h)["members"]
            except Exception:  # noqa: BLE001 - try the next host
                continue
        return []

    def leader(self):
        for m in self.members():
            if m.get("role") == "leader" and m.get("state") == "running":
                return m["name"]
        return None

    def leader_host(self):
        name = self.leader()
        return next((h.n for h in self.hosts if h.name == name), None)

    def wait_leader(self, timeout=60, not_on=None):
        end = time.time() + timeout
        while time.time() < end:
            name = self.leader()
            if name and name != not_on:
                return name
            time.sleep(0.2)
        raise RuntimeError(f"no PostgreSQL primary within {timeout}s; see {self.log_dir}/h*-patroni.log")

    def psql(self, sql, db="postgres", settle=60):
        """`sql` on the primary. A connection that fails before the statement is sent (a node still restarting
        after a rejoin closes it during the handshake, and libpq then gives up on the host list; or no server is
        writable for a moment, a leader election after the rejoin) is tried again for up to `settle` seconds:
        nothing ran, so repeating is safe. Any other error raises at once. (20 s were not enough once in a
        clean-clone run on a loaded machine: no writable primary answered within them after the partition test.)"""
        env = dict(os.environ)
        env["PGPASSWORD"] = self.secrets["superuser"]
        conn = f"postgresql://postgres@{self.pg_hosts()}/{db}?target_session_attrs=read-write&connect_timeout=2"
        end = time.time() + settle
        while True:
            r = subprocess.run([os.path.join(infra.pg_bin_dir(), "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA",
                                conn, "-c", sql], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode == 0:
                return r.stdout.strip()
            if not r.stderr.lstrip().startswith("psql: error: connection to server") or time.time() >= end:
                raise RuntimeError(f"psql: {r.stderr.strip()}")
            time.sleep(0.5)

    def wait_databases(self):
        """The primary answers and holds the services' databases (deploy/post-bootstrap.sh made them)."""
        end = time.time() + 30
        while True:
            try:
                if self.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'chance\\_%'") == str(len(SERVICES)):
                    return
            except RuntimeError:
                pass
            if time.time() > end:
                raise RuntimeError("the primary has not got the services' databases; see h*-patroni.log")
            time.sleep(0.3)

    def replication_healthy(self, hosts=3):
        """A running primary, `hosts` - 1 running standbys streaming from it, one of them synchronous."""
        ms = self.members()
        running = [m for m in ms if m.get("state") in ("running", "streaming")]
        roles = [m.get("role") for m in running]
        return (len(running) == hosts and roles.count("leader") == 1 and roles.count("sync_standby") == 1
                and all(in_step(m) for m in running))

    def wait_replication(self, timeout=90, hosts=3):
        end = time.time() + timeout
        while time.time() < end:
            if self.replication_healthy(hosts):
                return
            time.sleep(0.3)
        members = self.members()
        in_step_names = {m.get("name") for m in members if in_step(m)}
        stuck = [h.name for h in self.hosts if h.name not in in_step_names]
        raise RuntimeError(f"replication not healthy within {timeout}s: {members}" +
                           "".join(f"\n--- the end of {n}-patroni.log:\n{self.log_tail(f'{n}-patroni.log')}"
                                   for n in stuck))

    def log_tail(self, name, lines=25):
        try:
            with open(os.path.join(self.log_dir, name), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError as e:
            return f"({e})"

    def readyz(self, h, service):
        code, _ = infra.http_get(f"{h.url(service)}/readyz", timeout=0.5)
        return code

    def wait_ready(self, timeout=90, hosts=None):
        end = time.time() + timeout
        hosts = hosts or [h.n for h in self.hosts]
        while time.time() < end:
            pending = [f"{self.hosts[n - 1].name}/{s}" for n in hosts for s in SERVICES
                       if self.readyz(self.hosts[n - 1], s) != 200]
            # Each service's own /readyz answering is not yet each host's HAProxy routing to it (its checks run
            # every second): a gateway's call through it is, so the catalog is asked through every gateway.
            pending += [f"{self.hosts[n - 1].name}/gateway->premieres" for n in hosts if not pending and
                        infra.http_get(f"{self.hosts[n - 1].url('gateway')}/api/v1/search/?q=", timeout=1)[0] != 200]
            if not pending and infra.http_get(f"{self.public_url}/readyz", timeout=0.5)[0] == 200:
                return
            time.sleep(0.3)
        raise RuntimeError(f"not ready within {timeout}s: {', '.join(pending)}; see {self.log_dir}")

    def status(self):
        rows = []
        members = {m["name"]: m for m in self.members()}
        for h in self.hosts:
            m = members.get(h.name, {})
            state = "down" if not h.up else ("cut off" if h.cut else "up")
            ready = " ".join(f"{s}:{self.readyz(h, s) or '-'}" for s in SERVICES) if h.up and not h.cut else ""
            rows.append(f"{h.name} {h.addr:12} {state:8} postgres: {m.get('role', '-')}/{m.get('state', '-')} "
                        f"lag {m.get('lag', '-')}   {ready}")
        return "\n".join(rows)
