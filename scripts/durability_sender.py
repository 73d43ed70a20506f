"""Sends numbered syslog lines over TCP to a wfa receiver, reconnecting when the receiver dies.

Usage: durability_sender.py PORT EVENTS PROGRESS_FILE

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


def connect():
    deadline = time.time() + 120
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def line(seq):
    return f"<13>Nov 20 10:00:00 durahost app[7]: durability event seq={seq} from 198.51.100.{seq % 200} port {1024 + seq % 50000}\n".encode()


sock = connect()
batch = 200
seq = 0
last_report = 0.0
while seq < events:
    end = min(seq + batch, events)
    data = b"".join(line(n) for n in range(seq, end))
    try:
        sock.sendall(data)
    except OSError as error:
        print(f"sender: connection lost at seq {seq} ({error}); reconnecting", flush=True)
        sock.close()
        sock = connect()
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
