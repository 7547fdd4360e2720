"""Serve a built site with Debian's nginx and the project's deploy/nginx.conf, as any user.

nginx runs in the foreground as one process (no master, no privilege switch) under a temporary
prefix that holds its pid file, logs and temp folders, so it needs neither root nor /var.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NGINX_CONF = REPO / "deploy" / "nginx.conf"
MISSING_NGINX = (
    "Test webového serveru potřebuje nginx: sudo apt-get install nginx "
    "(make test jej jako root nainstaluje sám)."
)
# deploy/nginx.conf documents these two directives as the ones to adapt.
LISTEN = re.compile(r"^(\s*)listen\s+[^;]+;", re.MULTILINE)
ROOT = re.compile(r"^(\s*)root\s+[^;]+;", re.MULTILINE)
WRAPPER = """\
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/metodiky.conf;
}}
"""


class NginxMissing(RuntimeError):
    """Debian's nginx is not installed; the message says how to install it."""


def find_nginx() -> str:
    """The nginx binary; /usr/sbin is not on an ordinary user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise NginxMissing(MISSING_NGINX)
    return found


def adapt_config(config: str, site: Path, port: int) -> str:
    """deploy/nginx.conf with its root pointed at a site and listening on a loopback port."""
    for directive, pattern in (("listen", LISTEN), ("root", ROOT)):
        found = len(pattern.findall(config))
        assert found == 1, f"{NGINX_CONF}: expected one `{directive}` directive, found {found}"
    config = LISTEN.sub(lambda m: f"{m.group(1)}listen 127.0.0.1:{port};", config)
    return ROOT.sub(lambda m: f"{m.group(1)}root {site.resolve()};", config)


@contextmanager
def serve_with_nginx(site: Path, prefix: Path) -> Iterator[str]:
    """Run nginx on a free loopback port serving a built site; yield its base URL."""
    nginx = find_nginx()
    port = _free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    config = adapt_config(NGINX_CONF.read_text(encoding="utf-8"), site, port)
    (prefix / "metodiky.conf").write_text(config, encoding="utf-8")
    (prefix / "nginx.conf").write_text(WRAPPER.format(prefix=prefix), encoding="utf-8")
    log = prefix / "error.log"
    command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log)]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    assert checked.returncode == 0, f"nginx -t rejects the configuration:\n{checked.stderr}"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(process, port, log)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(process: subprocess.Popen, port: int, log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log_text = log.read_text(errors="replace") if log.exists() else ""
            raise AssertionError(f"nginx exited at start:\n{log_text}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx did not accept connections on port {port} within {timeout} s")
