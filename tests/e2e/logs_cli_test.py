#!/usr/bin/env python3
"""End-to-end tests of `emotriage logs` and `analyze --logs`: exit codes 0/1/2, stdin, gzip and a
truncated gzip, --threshold, --utc-offset, and the campaign of `analyze --logs` without --profile.

    logs_cli_test.py EMOTRIAGE SOURCE_DIR
"""
import gzip
import json
import os
import sys
import tempfile

from checks import Checks

BIN, SOURCE = os.path.abspath(sys.argv[1]), sys.argv[2]
DATA = os.path.join(SOURCE, "tests", "data", "logs")
checks = Checks(BIN, SOURCE)
run, check = checks.run, checks.check


def flagged(result):
    return sorted(a["account"] for a in json.loads(result.stdout)["accounts"] if a["flagged"])


exim = os.path.join(DATA, "exim_auth_forged.log")
burst = os.path.join(DATA, "m365_burst_after_history.csv")

# Exit 0: nothing to act on (greylisting is not a block list).
r = run(["logs", os.path.join(DATA, "greylisted.log")])
check("ordinary log exit 0", r.returncode == 0, r.stderr)

# Exit 1: a flagged account; the same from stdin and from gzip.
r = run(["logs", "--format", "json", exim])
check("flagged log exit 1", r.returncode == 1, r.stderr)
check("flagged account", flagged(r) == ["k.tanaka@sample.example"], r.stdout[:300])
accounts = json.loads(r.stdout)["accounts"]
with open(exim, "rb") as f:
    text = f.read()
r = run(["logs", "--format", "json", "-"], stdin=text)
check("stdin exit 1", r.returncode == 1, r.stderr)
check("stdin same accounts", json.loads(r.stdout)["accounts"] == accounts)
with tempfile.TemporaryDirectory() as tmp:
    packed = os.path.join(tmp, "exim.log.gz")
    with gzip.open(packed, "wb") as f:
        f.write(text)
    r = run(["logs", "--format", "json", packed])
    check("gzip exit 1", r.returncode == 1, r.stderr)
    check("gzip same accounts", json.loads(r.stdout)["accounts"] == accounts)

# A gzip file cut short: its error, in both languages; what was read is used.
truncated = os.path.join(DATA, "truncated.log.gz")
r = run(["logs", "--format", "json", truncated])
files = json.loads(r.stdout)["files"]
check("truncated gzip error", "truncated" in files[0].get("error", ""), files)
check("truncated gzip lines kept", files[0]["lines"] > 0, files)
check("truncated gzip en", "truncated" in run(["logs", "--lang", "en", truncated]).stdout.decode())
check("truncated gzip ja", "途中で切れています" in run(["logs", "--lang", "ja", truncated]).stdout.decode())

# Exit 2: unreadable file, bad threshold name or value.
check("missing file exit 2", run(["logs", "/nonexistent/mail.log"]).returncode == 2)
check("bad threshold exit 2", run(["logs", "--threshold", "no_such=1", exim]).returncode == 2)
check("bad threshold value exit 2",
      run(["logs", "--threshold", "burst_messages_per_10min=x", exim]).returncode == 2)

# A threshold changes the verdict: 200 messages in 10 minutes is a burst at 100, not at 300.
r = run(["logs", "--format", "json", burst])
check("burst flagged", r.returncode == 1 and flagged(r) == ["info@sample.example"], r.stdout[:300])
r = run(["logs", "--format", "json", "--threshold", "burst_messages_per_10min=300", burst])
check("raised threshold exit 0", r.returncode == 0 and flagged(r) == [], r.stdout[:300])
check("threshold in json", json.loads(r.stdout)["thresholds"]["burst_messages_per_10min"] == 300)

# Message-trace times are UTC: --utc-offset shows them in local time.
r = run(["logs", "--format", "json", "--utc-offset", "+09:00", os.path.join(DATA, "m365_type.csv")])
first = json.loads(r.stdout)["accounts"][0]["first"]
check("utc offset applies to csv", first == "2026-01-05T10:10:00+09:00", first)

# analyze --logs without --profile: every account `logs` flags is a mass-sending account of the
# campaign (unauthenticated senders are not dropped), and the text names reasons in words.
mail = "examples/incidents/10-not-suspicious-internal-notice.eml"
r = run(["analyze", "--format", "json", "--logs", burst, mail])
campaign = json.loads(r.stdout)["campaign"]
mass = sorted(a["account"] for a in campaign["mass_sending_accounts"])
check("analyze --logs without profile", mass == ["info@sample.example"], (r.returncode, mass))
check("analyze --logs exit 1", r.returncode == 1, r.stderr)
ja = run(["analyze", "--lang", "ja", "--logs", burst, mail]).stdout.decode()
check("campaign ja reasons in words", "短時間の大量送信" in ja and "burst" not in ja, ja[-600:])
en = run(["analyze", "--lang", "en", "--logs", exim, mail]).stdout.decode()
check("campaign en reasons in words", "envelope sender mismatch" in en and "envelope-sender-mismatch" not in en,
      en[-600:])

sys.exit(checks.finish())
