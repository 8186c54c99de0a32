"""Private infrastructure for the launcher and the tests: PostgreSQL, NATS JetStream, an SMTP sink and
an SMS sink, each on loopback, each a child process in its own process group, all torn down on exit.

PostgreSQL refuses to run as root, so when we are root it runs as the `postgres` user (runuser); its
data directory must be reachable by that user, so when the repository sits under a directory the
`postgres` user cannot traverse, the data lives in /var/tmp and a symlink points at it.
"""
import atexit
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3"  # Debian's modules (aiosmtpd) are installed for this interpreter


def pg_bin_dir():
    for v in ("15", "16", "17"):
        d = f"/usr/lib/postgresql/{v}/bin"
        if os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    sys.exit("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): run scripts/bootstrap")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_port(port, seconds, what, proc=None, host="127.0.0.1"):
    end = time.time() + seconds
    while time.time() < end:
        if port_open(port, host):
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        time.sleep(0.02)
    raise RuntimeError(f"{what} did not open port {port} within {seconds}s")


_children = []


def _cleanup():
    for p in reversed(_children):
        stop_process(p)


atexit.register(_cleanup)


def spawn(args, log_path=None, env=None, user=None):
    """Starts a child in its own process group; stdout/stderr go to log_path (appended)."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    if user:
        args = ["runuser", "-u", user, "--"] + args
    p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         env=env, start_new_session=True)
    _children.append(p)
    return p


def stop_process(p, timeout=5.0, sig=signal.SIGTERM):
    if p.poll() is not None:
        return
    try:
        os.killpg(p.pid, sig)
    except ProcessLookupError:
        return
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()


_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(ppid, cpu seconds of the process and of its reaped children) or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counting from state = 0.
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / _TICK


def user_kernel_seconds(pid):
    """(user, kernel) CPU seconds used so far by one process and its reaped children; (0, 0) when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    return (int(fields[11]) + int(fields[13])) / _TICK, (int(fields[12]) + int(fields[14])) / _TICK


def tree_cpu_seconds(roots):
    """{name: CPU seconds used so far by the process tree under roots[name]} (reaped children included), from
    one scan of /proc for all of them."""
    table = {int(name): st for name in os.listdir("/proc") if name.isdigit() and (st := _stat(int(name)))}
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out = {}
    for name, root in roots.items():
        total, todo = 0.0, [root]
        while todo:
            pid = todo.pop()
            total += table[pid][1] if pid in table else 0.0
            todo.extend(children.get(pid, []))
        out[name] = total
    return out


def _status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid):
    return _status_kib(pid, "VmRSS")


def peak_rss_kib(pid):
    """The process's high-water resident set (VmHWM) since it started."""
    return _status_kib(pid, "VmHWM")


def _run_as_pg_user():
    return "postgres" if os.geteuid() == 0 else None


def _reachable_by(user, path):
    """True when `user` can traverse every parent of path."""
    if user is None:
        return True
    r = subprocess.run(["runuser", "-u", user, "--", "test", "-x", os.path.dirname(path)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


class Postgres:
    """A private cluster. `durable=False` (tests) turns fsync off; the launcher's cluster keeps it on."""

    def __init__(self, link_dir, port, durable=True, log_path=None):
        self.link_dir = os.path.abspath(link_dir)
        self.port = port
        self.durable = durable
        self.user = _run_as_pg_user()
        self.bin = pg_bin_dir()
        self.log_path = log_path or self.link_dir + ".log"
        self.proc = None
        self.data = self._data_dir()

    def _data_dir(self):
        os.makedirs(os.path.dirname(self.link_dir), exist_ok=True)
        if os.path.islink(self.link_dir):
            return os.path.realpath(self.link_dir)
        if os.path.isdir(self.link_dir) or _reachable_by(self.user, self.link_dir):
            os.makedirs(self.link_dir, exist_ok=True)
            return self.link_dir
        # The repository is not reachable by the postgres user: keep the data in /var/tmp.
        h = hashlib.sha256(self.link_dir.encode()).hexdigest()[:12]
        real = f"/var/tmp/chance-pg-{h}"
        os.makedirs(real, exist_ok=True)
        os.symlink(real, self.link_dir)
        return real

    def _own(self, path):
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def _run(self, args, **kw):
        if self.user:
            args = ["runuser", "-u", self.user, "--"] + args
        return subprocess.run(args, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)

    def initialised(self):
        return os.path.exists(os.path.join(self.data, "pgdata", "PG_VERSION"))

    def start(self, timeout=30):
        self._own(self.data)
        pgdata = os.path.join(self.data, "pgdata")
        sock = os.path.join(self.data, "sock")
        if not self.initialised():
            os.makedirs(pgdata, exist_ok=True)
            os.makedirs(sock, exist_ok=True)
            self._own(pgdata)
            self._own(sock)
            self._run([os.path.join(self.bin, "initdb"), "-D", pgdata, "-U", "postgres", "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"])
        args = [os.path.join(self.bin, "postgres"), "-D", pgdata, "-p", str(self.port), "-h", "127.0.0.1",
                "-k", sock, "-c", "max_connections=200", "-c", "shared_buffers=128MB"]
        if not self.durable:
            args += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        # Extra settings for a diagnosis, e.g. CHANCE_PG_OPTIONS="shared_preload_libraries=pg_stat_statements".
        for setting in os.environ.get("CHANCE_PG_OPTIONS", "").split():
            args += ["-c", setting]
        # A stale pid file after a crash would stop the start: postgres itself checks whether it is live.
        self.proc = spawn(args, self.log_path, user=self.user)
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited (code {self.proc.returncode}); see {self.log_path}")
            r = subprocess.run([os.path.join(self.bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)])
            if r.returncode == 0:
                return self
            time.sleep(0.05)
        raise RuntimeError(f"PostgreSQL did not become ready on port {self.port}; see {self.log_path}")

    def stop(self, mode="fast"):
        if self.proc is None:
            return
        sig = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}[mode]
        try:
            os.kill(self.proc.pid, sig)  # the postmaster itself (runuser passes signals on)
        except ProcessLookupError:
            pass
        stop_process(self.proc, timeout=15, sig=sig)
        self.proc = None

    def psql(self, sql, db="postgres"):
        r = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                            "-p", str(self.port), "-U", "postgres", "-d", db, "-tA", "-c", sql],
                           check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return r.stdout.strip()

    def ensure_role_and_databases(self, role, databases):
        if self.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'") != "1":
            self.psql(f"CREATE ROLE {role} LOGIN")
        for db in databases:
            if self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") != "1":
                self.psql(f"CREATE DATABASE {db} OWNER {role}")

    def dsn(self, db="postgres", user="postgres"):
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"


class Nats:
    def __init__(self, store, port, log_path=None):
        self.store = os.path.abspath(store)
        self.port = port
        self.log_path = log_path or self.store + ".log"
        self.proc = None

    def start(self, timeout=15):
        os.makedirs(self.store, exist_ok=True)
        self.proc = spawn(["nats-server", "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", self.store],
                          self.log_path)
        wait_port(self.port, timeout, "nats-server", self.proc)
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc is not None:
            stop_process(self.proc, sig=sig)
            self.proc = None

    @property
    def url(self):
        return f"nats://127.0.0.1:{self.port}"


class _Sink:
    """A sink run by one of our Python scripts, listening on a port, keeping what it receives in a folder."""
    script = ""
    folder_flag = ""
    what = ""

    def __init__(self, folder, port, log_path=None, host="127.0.0.1"):
        self.folder = os.path.abspath(folder)
        self.port = port
        self.host = host
        self.log_path = log_path or self.folder + ".log"
        self.proc = None

    def extra_args(self):
        return []

    def start(self, timeout=15):
        os.makedirs(self.folder, exist_ok=True)
        self.proc = spawn([PYTHON, os.path.join(ROOT, "scripts", self.script), "--port", str(self.port),
                           "--host", self.host, self.folder_flag, self.folder] + self.extra_args(), self.log_path)
        wait_port(self.port, timeout, self.what, self.proc, host=self.host)
        return self

    def stop(self):
        if self.proc is not None:
            stop_process(self.proc)
            self.proc = None


class SmtpSink(_Sink):
    script, folder_flag, what = "smtp_sink.py", "--maildir", "SMTP sink"

    def __init__(self, folder, port, log_path=None, viewer_port=0, host="127.0.0.1"):
        super().__init__(folder, port, log_path, host)
        self.viewer_port = viewer_port

    def extra_args(self):
        return ["--http-port", str(self.viewer_port)] if self.viewer_port else []

    @property
    def maildir(self):
        return self.folder


class SmsSink(_Sink):
    script, folder_flag, what = "sms_sink.py", "--dir", "SMS sink"

    @property
    def dir(self):
        return self.folder

    @property
    def url(self):
        return f"http://{self.host}:{self.port}/send"


def http_get(url, timeout=1.0):
    """(status, body) or (None, error text)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except Exception as e:  # noqa: BLE001 - any failure means "not reachable"
        return None, str(e)


def write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2)
    os.replace(tmp, path)


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)
