"""Sends numbered syslog lines over TCP to a wfa receiver, reconnecting when the receiver dies.

Usage: durability_sender.py PORT EVENTS PROGRESS_FILE [RATE]

RATE is events per second (default 2000), so that what sits in socket buffers at a kill stays
small, as with a real host that logs as things happen.

Each line carries `seq=N`. The current position is written to PROGRESS_FILE (so the test can
kill processes at chosen points), and every reconnect is logged with the position it happened
at. A line whose send failed is not sent again: syslog over TCP has no acknowledgements, so what
was in flight when the receiver died is the sender's loss, as with any TCP syslog sender.
"""

import os
import socket
import sys
import time

port, events, progress_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rate = float(sys.argv[4]) if len(sys.argv) > 4 else 2000.0


def connect():
    deadline = time.time() + 120
    while True:
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # A small send buffer: the sender feels a stalled receiver at once.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
            sock.settimeout(30)
            sock.connect(("127.0.0.1", port))
            return sock
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def line(seq):
    return f"<38>Nov 20 10:00:00 durahost sshd[7]: Failed password for u{seq % 50} from 198.51.100.{seq % 200} port {1024 + seq % 50000} ssh2 seq={seq}\n".encode()


sock = connect()
batch = 100
seq = 0
last_report = 0.0
begun = time.time()
while seq < events:
    ahead = seq / rate - (time.time() - begun)
    if ahead > 0:
        time.sleep(ahead)
    end = min(seq + batch, events)
    data = b"".join(line(n) for n in range(seq, end))
    try:
        sock.sendall(data)
    except OSError as error:
        print(f"sender: connection lost at seq {seq} ({error}); reconnecting", flush=True)
        sock.close()
        try:
            sock = connect()
        except OSError as error:
            sys.exit(f"sender: cannot reconnect: {error}")
    seq = end
    now = time.time()
    if now - last_report > 0.05 or seq == events:
        with open(progress_path + ".tmp", "w") as progress:
            progress.write(str(seq))
        os.replace(progress_path + ".tmp", progress_path)
        last_report = now
sock.shutdown(socket.SHUT_WR)
sock.close()
print(f"sender: sent {events} events", flush=True)
