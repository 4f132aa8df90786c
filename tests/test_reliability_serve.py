"""`serve` serves only regular files inside the output folder, over real HTTP on 127.0.0.1:
symbolic links below it, `..` in any spelling and folders without index.html are 404."""
from __future__ import annotations

import http.client
import os
import socket
import threading
from pathlib import Path

import pytest

from newsarchive.serve import _server
from site_support import FIXTURE_CONTENT, build

SECRET = "top secret: not part of the site"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site with symbolic links planted in it, served by serve's own server."""
    root = tmp_path_factory.mktemp("serve")
    out = root / "site"
    assert build(FIXTURE_CONTENT, out).ok
    secret_dir = root / "secret"
    secret_dir.mkdir()
    (secret_dir / "index.html").write_text(SECRET, encoding="utf-8")
    (secret_dir / "notes.txt").write_text(SECRET, encoding="utf-8")
    (root / "secret.html").write_text(SECRET, encoding="utf-8")
    (out / "passwd.html").symlink_to("/etc/passwd")
    (out / "outside.html").symlink_to(root / "secret.html")
    (out / "outside").symlink_to(secret_dir)
    (out / "copy.html").symlink_to("index.html")                                   # inside, but a link
    (out / "articles" / "alias").symlink_to(out / "pages")
    (out / "tags" / "index.html").rename(out / "tags" / "moved.html")                # a folder, no index
    (out / "pages" / "fifo.html").parent.mkdir(exist_ok=True)
    os.mkfifo(out / "pages" / "fifo.html")
    server = _server(out, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, server.server_address[1]
    server.shutdown()
    server.server_close()


def get(port: int, raw_path: str) -> tuple[int, bytes]:
    """GET `raw_path` exactly as written (no client-side normalisation of `..`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {raw_path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("path", ["/index.html", "/", "/feed.xml", "/static/style.css", "/articles/xss-test-article/"])
def test_the_site_itself_is_served(served, path):
    _, port = served
    status, body = get(port, path)
    assert status == 200 and body


@pytest.mark.parametrize("path", [
    "/passwd.html", "/outside.html", "/outside/", "/outside/index.html", "/outside/notes.txt", "/copy.html",
    "/articles/alias/", "/articles/alias/003_31f1b2df397274cc/index.html", "/tags/", "/pages/fifo.html",
    "/../secret.html", "/../../../../etc/passwd", "/%2e%2e/secret.html", "/%2E%2E%2Fsecret.html",
    "/articles/..%2f..%2fsecret.html", "/..%5csecret.html", "/no-such-page.html",
])
def test_anything_else_is_not_found(served, path):
    out, port = served
    status, body = get(port, path)
    assert status == 404, (path, status, body[:200])
    assert SECRET.encode() not in body and b"root:" not in body
    assert body == (out / "404.html").read_bytes()      # the site's own 404 page


def test_a_404_page_that_is_a_link_is_not_followed(tmp_path):
    out = tmp_path / "site"
    assert build(FIXTURE_CONTENT, out).ok
    (tmp_path / "secret.html").write_text(SECRET, encoding="utf-8")
    (out / "404.html").unlink()
    (out / "404.html").symlink_to(tmp_path / "secret.html")
    server = _server(out, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", "/nothing-here.html")
        response = connection.getresponse()
        assert response.status == 404 and SECRET.encode() not in response.read()
    finally:
        server.shutdown()
        server.server_close()
