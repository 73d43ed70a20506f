"""The browser test of the wfa UI (see scripts/browser-test.sh).

Drives Debian's headless Chromium through Debian's chromedriver; Selenium Manager is never asked
to download anything. Every step waits for what an analyst would see, up to a deadline, and the
run fails on any error the page logs (a script error, a Content-Security-Policy violation).
"""

import argparse
import json
import os
import socket
import sys
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--url", required=True)
parser.add_argument("--syslog-port", type=int, required=True)
parser.add_argument("--email", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--screenshots", default="screenshots")
arguments = parser.parse_args()

ADDRESS = "203.0.113.77"
BUSY_ADDRESS = "203.0.113.78"
LATE_ADDRESS = "203.0.113.79"
SIGMA_RULE = """title: 'Browser test: deploy key login'
id: 7d0c1f7e-2b1a-4c55-9f1e-3a2b6c4d5e6f
status: test
logsource:
    product: linux
    service: sshd
detection:
    selection:
        user_name: deploy
    condition: selection
level: low
"""


def step(text):
    print(f"browser-test: {text}", flush=True)


def api(path, token, method="GET", body=None):
    request = urllib.request.Request(
        f"{arguments.url}/api/v1{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))["data"]


def send_syslog(line):
    """One RFC 5424 message stamped now, over TCP with newline framing, as rsyslog forwards it."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with socket.create_connection(("127.0.0.1", arguments.syslog_port), timeout=5) as connection:
        connection.sendall(f"<38>1 {now} bastion sshd 4242 - - {line}\n".encode())


def shoot(driver, name):
    path = os.path.join(arguments.screenshots, f"{name}.png")
    driver.save_screenshot(path)
    step(f"screenshot {path}")


def page_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000"):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 30)
failures = []
try:
    step("sign in")
    driver.get(arguments.url + "/")
    wait.until(conditions.visibility_of_element_located((By.ID, "email"))).send_keys(arguments.email)
    driver.find_element(By.ID, "password").send_keys(arguments.password)
    driver.find_element(By.ID, "sign-in").click()
    wait.until(conditions.presence_of_element_located((By.ID, "tiles")))
    wait.until(conditions.text_to_be_present_in_element((By.ID, "live-state"), "live"))
    token = driver.execute_script("return sessionStorage.getItem('wfa.token')")
    assert token, "no token in the session after signing in"
    shoot(driver, "dashboard")

    step("open the incident list and mark the page, to prove it is never reloaded")
    driver.get(arguments.url + "/#/incidents?status=")
    wait.until(conditions.presence_of_element_located((By.ID, "incident-results")))
    driver.execute_script("window.__notReloaded = true")
    assert not driver.find_elements(By.XPATH, f"//a[contains(., '{ADDRESS}')]"), "the incident exists before the log line"

    step(f"send a syslog line that triggers a lead rule ({ADDRESS} fails root's password)")
    send_syslog(f"Failed password for root from {ADDRESS} port 50022 ssh2")
    link = WebDriverWait(driver, 60).until(
        conditions.element_to_be_clickable((By.XPATH, f"//a[contains(@class, 'incident-link') and contains(., '{ADDRESS}')]")))
    assert driver.execute_script("return window.__notReloaded === true"), "the list page was reloaded"
    step("the incident appeared without a reload")
    shoot(driver, "incidents")

    step(f"while {BUSY_ADDRESS}'s incident keeps changing, a new incident still appears")
    busy = threading.Event()

    def keep_failing():
        port = 51000
        while not busy.is_set():
            send_syslog(f"Failed password for root from {BUSY_ADDRESS} port {port} ssh2")
            port += 1
            busy.wait(0.15)

    sender = threading.Thread(target=keep_failing, daemon=True)
    sender.start()
    try:
        WebDriverWait(driver, 60).until(
            conditions.presence_of_element_located((By.XPATH, f"//a[contains(., '{BUSY_ADDRESS}')]")))
        send_syslog(f"Failed password for root from {LATE_ADDRESS} port 50023 ssh2")
        # Events for the busy incident never pause for long, so this needs a list that reloads
        # during a stream of events, not only after it.
        WebDriverWait(driver, 20).until(
            conditions.presence_of_element_located((By.XPATH, f"//a[contains(., '{LATE_ADDRESS}')]")))
    finally:
        busy.set()
        sender.join()
    step("it did, while the other incident's events kept coming")

    # Events already on their way still re-render the list for a moment, so the link found may be
    # replaced before the click lands: find it again and retry until one click gets through.
    def open_incident(driver):
        driver.find_element(By.XPATH, f"//a[contains(@class, 'incident-link') and contains(., '{ADDRESS}')]").click()
        return True

    WebDriverWait(driver, 20, ignored_exceptions=[StaleElementReferenceException]).until(open_incident)
    wait.until(conditions.presence_of_element_located((By.ID, "incident-title")))
    wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, ".graph svg g.node")))
    incident_id = driver.execute_script("return decodeURIComponent(location.hash.replace('#/incidents/', ''))")
    step(f"opened incident {incident_id}")
    time.sleep(1.5)  # let the force layout settle for the screenshot
    shoot(driver, "incident")

    step("change its status to Investigating with a note")
    Select(driver.find_element(By.ID, "status-select")).select_by_visible_text("Investigating")
    driver.find_element(By.ID, "status-note").send_keys("triaging from the browser test")
    driver.find_element(By.ID, "change-status").click()
    wait.until(conditions.text_to_be_present_in_element((By.ID, "incident-status-badge"), "Investigating"))
    wait.until(conditions.text_to_be_present_in_element((By.ID, "timeline"), "triaging from the browser test"))
    incident = api(f"/incidents/{urllib.request.quote(incident_id, safe='')}", token)
    assert incident["status"] == 2, f"the API says status {incident['status']}, not 2 (Investigating)"
    assert any(entry.get("to") == "2" for entry in incident["history"]), "the audit trail lacks the status change"
    step("the API shows the status change and its audit entry")

    step("visit the other pages")
    driver.get(arguments.url + f"/#/artifacts?entity=ip:{ADDRESS}&range=all")
    wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "#artifact-results table")))
    shoot(driver, "artifacts")
    driver.get(arguments.url + f"/#/nodes/ip%3A{ADDRESS}")
    wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, ".graph svg g.node")))
    time.sleep(1.0)
    shoot(driver, "node")
    driver.get(arguments.url + "/#/rules?kind=sigma")
    wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "table.grid")))
    shoot(driver, "rules")

    step("upload a Sigma rule from the rules page")
    driver.find_element(By.ID, "sigma-yaml").send_keys(SIGMA_RULE)
    driver.find_element(By.CSS_SELECTOR, "#sigma-form button[type=submit]").click()
    wait.until(conditions.text_to_be_present_in_element((By.ID, "rules-status"), "Saved Sigma rule"))
    wait.until(conditions.text_to_be_present_in_element((By.CSS_SELECTOR, "table.grid"), "Browser test: deploy key login"))

    step("test a draft lead rule over the stored artifacts")
    driver.get(arguments.url + "/#/rules/test?kind=lead")
    driver.find_element(By.ID, "test-draft").send_keys('message_type = "auth_failure"')
    driver.find_element(By.ID, "run-test").click()
    wait.until(conditions.text_to_be_present_in_element((By.ID, "test-results"), "matched"))
    assert ADDRESS in driver.find_element(By.ID, "test-results").text, "the test did not list the sshd failure"

    step("add a webhook channel and a notification rule in settings")
    driver.get(arguments.url + "/#/settings")
    wait.until(conditions.presence_of_element_located((By.ID, "notifications")))
    driver.find_element(By.ID, "channel-name").send_keys("soar")
    driver.find_element(By.ID, "channel-url").send_keys("http://127.0.0.1:9/hooks/wfa")
    driver.find_element(By.CSS_SELECTOR, "#notifications form button[type=submit]").click()
    wait.until(conditions.text_to_be_present_in_element((By.ID, "settings-status"), "shown only now"))
    driver.find_element(By.ID, "rule-name").send_keys("high and up")
    driver.find_element(By.XPATH, "//button[normalize-space()='Add rule']").click()
    wait.until(conditions.text_to_be_present_in_element((By.ID, "notifications"), "high and up"))
    channels = api("/notification-channels", token)
    assert [channel["name"] for channel in channels] == ["soar"], f"channels: {channels}"
    assert [rule["name"] for rule in api("/notification-rules", token)] == ["high and up"]
    shoot(driver, "settings")
    step("the dashboard's sampled live feed shows a line sent while it is open")
    driver.get(arguments.url + "/#/")
    wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "#tiles .tile")))
    send_syslog("Accepted publickey for deploy from 198.51.100.23 port 41000 ssh2")
    wait.until(conditions.text_to_be_present_in_element((By.ID, "live-feed"), "198.51.100.23"))
    time.sleep(0.5)
    shoot(driver, "dashboard")

    errors = page_errors(driver)
    if errors:
        failures.append("the page logged errors:\n  " + "\n  ".join(entry["message"] for entry in errors))
except Exception as error:  # noqa: BLE001 - any failure ends the test with the page's state saved
    failures.append(f"{type(error).__name__}: {error}")
    shoot(driver, "failure")
    for entry in driver.get_log("browser"):
        print(f"  browser {entry['level']}: {entry['message']}", file=sys.stderr)
finally:
    driver.quit()

if failures:
    for failure in failures:
        print(f"browser-test: FAILED: {failure}", file=sys.stderr)
    sys.exit(1)
step("passed")
