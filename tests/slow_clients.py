"""Clients that hold a connection open by sending a request a byte a second: the header
block, or complete headers and then the body. Used by the web process's tests and bench."""

from __future__ import annotations

import socket
import threading

PATH = "/webhooks/hubspot"


def send_slowly(port: int, body_too: bool, stop: threading.Event) -> None:
    """Until ``stop``: the request line then header bytes, or headers then body bytes, one
    a second. A server that closes the connection ends it early, as it may."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        if body_too:
            head = f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            sock.sendall((head + "Content-Length: 100000\r\n\r\n").encode())
        else:
            sock.sendall(f"POST {PATH} HTTP/1.1\r\n".encode())
        while not stop.wait(1):
            try:
                sock.sendall(b"[" if body_too else b"X")
            except OSError:
                return


def start_slow_clients(port: int, count: int, stop: threading.Event) -> list[threading.Thread]:
    """``count`` slow senders of headers and ``count`` of bodies, each on its own thread."""
    threads = [
        threading.Thread(target=send_slowly, args=(port, body_too, stop), daemon=True)
        for body_too in (False, True)
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads
