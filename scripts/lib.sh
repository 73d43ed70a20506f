# Shell functions the project's scripts share. Source it; it defines functions only.

# Prints a TCP port free on loopback right now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits for the API on 127.0.0.1:$1 to answer /status, then signs in as $2 with password $3 and
# prints the token. Gives up after 60 s.
wait_and_login() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys, time, urllib.request
port, email, password = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://127.0.0.1:{port}/api/v1"
for _ in range(600):
    try:
        urllib.request.urlopen(base + "/status", timeout=1)
        break
    except Exception:
        time.sleep(0.1)
request = urllib.request.Request(base + "/auth/login", method="POST",
    data=json.dumps({"email": email, "password": password}).encode(),
    headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request))["data"]["token"])
PY
}
