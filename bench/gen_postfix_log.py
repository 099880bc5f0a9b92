#!/usr/bin/env python3
"""Writes a realistic Postfix log (submission + amavis content filter) of about N lines with known
compromised accounts, and prints the ground truth as JSON.

Cast (all addresses and IPs are documentation/benchmark ranges; nothing here is real):
  * ordinary staff: business-hours mail from the office (192.0.2.0/24), sometimes from home;
  * news@: a steady newsletter, every hour 08-20 from its usual host -- must NOT be flagged;
  * the loud compromise: a burst at night from dozens of botnet IPs (198.18.0.0/15) with forged
    envelope senders, empty or DESKTOP-… Message-IDs, DNSBL deferrals retried by qmgr, after
    failed SASL logins;
  * the quiet compromise: a handful of mails at 02:00-03:30 from three foreign IPs
    (203.0.113.0/24) under the account's own address.
Every message passes amavis on 127.0.0.1:10024 and comes back under a new queue id.

usage: gen_postfix_log.py --lines N [--seed S] [--out FILE]   (ground truth JSON on stdout)
"""
import argparse
import datetime as dt
import heapq
import json
import random
import sys

DOMAIN = "sample-shoji.example"
START = dt.datetime(2026, 1, 5, 0, 0, 0)  # a Monday
DAYS = 7
TZ = "+09:00"
PARTNERS = ["partner.example", "customer.example.net", "supplier.example.org", "bank.example.com"]
LOUD = "t.sato@" + DOMAIN
QUIET = "m.suzuki@" + DOMAIN
NEWS = "news@" + DOMAIN
DNSBL = ("host mx.partner.example[192.0.2.99] said: 554 5.7.1 Service unavailable; Client host "
         "[192.0.2.25] blocked using zen.spamhaus.org (in reply to RCPT TO command)")
ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"


class Log:
    def __init__(self, out):
        self.out = out
        self.lines = 0
        self.pid = 1000
        self.serial = 0
        self.later = []  # (time, seq, [lines]) retries, written in time order

    def queue_id(self):
        self.serial += 1
        n, text = self.serial * 7919 + 104729, ""
        while n:
            n, r = divmod(n, len(ALPHABET))
            text += ALPHABET[r]
        return "4Pb" + text.rjust(9, "B") + "z3t"

    def stamp(self, t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + TZ

    def write(self, t, program, text):
        self.out.write(f"{self.stamp(t)} mail postfix/{program}[{self.pid}]: {text}\n")
        self.lines += 1

    def flush_until(self, t):
        while self.later and self.later[0][0] <= t:
            when, _, items = heapq.heappop(self.later)
            for program, text in items:
                self.write(when, program, text)


def message(log, rng, t, ip, user, sender, msgid, recipients, deferred_text=None):
    """One submitted message: smtpd -> cleanup -> qmgr -> amavis hop -> delivery -> removed."""
    log.flush_until(t)
    log.pid = rng.randrange(2000, 60000)
    q1, q2 = log.queue_id(), log.queue_id()
    s = dt.timedelta(milliseconds=40)
    service = "submission/smtpd"
    log.write(t, service, f"connect from unknown[{ip}]")
    auth = f", sasl_method=PLAIN, sasl_username={user}" if user else ""
    log.write(t + s, service, f"{q1}: client=unknown[{ip}]{auth}")
    log.write(t + 2 * s, "cleanup", f"{q1}: message-id={msgid}")
    log.write(t + 3 * s, "qmgr", f"{q1}: from=<{sender}>, size={rng.randrange(900, 90000)}, "
              f"nrcpt={len(recipients)} (queue active)")
    log.write(t + 4 * s, service, f"disconnect from unknown[{ip}] ehlo=1 auth=1 mail=1 "
              f"rcpt={len(recipients)} data=1 quit=1 commands=5")
    # amavis re-injects under q2 before its client logs "queued as q2".
    log.write(t + 5 * s, "10025/smtpd", f"{q2}: client=localhost[127.0.0.1]")
    log.write(t + 6 * s, "cleanup", f"{q2}: message-id={msgid}")
    log.write(t + 7 * s, "qmgr", f"{q2}: from=<{sender}>, size={rng.randrange(900, 90000)}, "
              f"nrcpt={len(recipients)} (queue active)")
    for r in recipients:
        log.write(t + 8 * s, "amavis/smtp", f"{q1}: to=<{r}>, relay=127.0.0.1[127.0.0.1]:10024, "
                  "delay=1.2, delays=0.1/0/0/1.1, dsn=2.0.0, status=sent (250 2.0.0 from "
                  f"MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as {q2})")
    log.write(t + 9 * s, "qmgr", f"{q1}: removed")
    retry = []
    for r in recipients:
        if deferred_text:
            log.write(t + 10 * s, "smtp", f"{q2}: to=<{r}>, relay=mx.partner.example[192.0.2.99]:25, "
                      f"delay=2, delays=0/0/1/1, dsn=4.7.1, status=deferred ({deferred_text})")
            retry.append(r)
        else:
            log.write(t + 10 * s, "smtp", f"{q2}: to=<{r}>, relay=mx.{r.split('@')[1]}[192.0.2.98]:25, "
                      "delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)")
    if retry:
        # qmgr logs from= again on the retry; the message must still count once.
        when = t + dt.timedelta(minutes=30)
        items = [("qmgr", f"{q2}: from=<{sender}>, size=4000, nrcpt={len(recipients)} (queue active)")]
        items += [("smtp", f"{q2}: to=<{r}>, relay=mx.partner.example[192.0.2.99]:25, delay=1800, "
                   f"delays=1798/0/1/1, dsn=5.7.1, status=bounced ({deferred_text})") for r in retry]
        items.append(("qmgr", f"{q2}: removed"))
        heapq.heappush(log.later, (when, log.serial, items))
    else:
        log.write(t + 11 * s, "qmgr", f"{q2}: removed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.out == "-" else open(args.out, "w", buffering=1 << 20)
    log = Log(out)

    messages = max(300, args.lines // 12)
    staff = [f"user{i:04d}@{DOMAIN}" for i in range(max(20, min(2000, messages // 60)))]
    staff += [LOUD, QUIET]
    home = {u: f"198.51.100.{rng.randrange(1, 255)}" for u in staff}
    office = {u: f"192.0.2.{10 + i % 200}" for i, u in enumerate(staff)}

    events = []  # (time, kind, user)
    for _ in range(int(messages * 0.78)):
        day = rng.randrange(DAYS)
        hour = rng.choice([9, 9, 10, 10, 11, 11, 13, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20])
        t = START + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
        events.append((t, "staff", rng.choice(staff)))
    # The two victims also have ordinary history, so they have a baseline.
    for user in (LOUD, QUIET):
        for day in range(DAYS):
            for _ in range(3):
                t = START + dt.timedelta(days=day, hours=rng.randrange(9, 18), seconds=rng.randrange(3600))
                events.append((t, "staff", user))
    per_hour = max(2, int(messages * 0.15) // (DAYS * 13))
    for day in range(DAYS):
        for hour in range(8, 21):
            for k in range(per_hour):
                t = START + dt.timedelta(days=day, hours=hour, seconds=k * 3600 // per_hour)
                events.append((t, "news", NEWS))
    loud = max(300, min(3000, int(messages * 0.03)))
    burst_start = START + dt.timedelta(days=3, hours=1)
    for k in range(loud):
        events.append((burst_start + dt.timedelta(seconds=k * 4 + rng.randrange(4)), "loud", LOUD))
    quiet_start = START + dt.timedelta(days=4, hours=2)
    for k in range(8):
        events.append((quiet_start + dt.timedelta(minutes=k * 11 + rng.randrange(5)), "quiet", QUIET))
    events.sort()

    botnet = [f"198.{18 + rng.randrange(2)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(40)]
    foreign = [f"203.0.113.{n}" for n in (17, 58, 201)]
    forged = [f"{name}@{dom}" for name in ("info", "billing", "office", "admin", "accounts")
              for dom in ("other-company.example", "shop.example.net", "city.example.org", "kaisha.example")]
    failures_written = False
    for t, kind, user in events:
        if kind == "loud" and not failures_written:
            failures_written = True
            for k in range(30):
                log.flush_until(t)
                log.write(t - dt.timedelta(seconds=120 - k * 3), "submission/smtpd",
                          f"warning: unknown[{botnet[0]}]: SASL LOGIN authentication failed: "
                          "UGFzc3dvcmQ6")
        rcpts = [f"p{rng.randrange(100000)}@{rng.choice(PARTNERS)}" for _ in range(rng.randrange(1, 4))]
        msgid = f"<{rng.getrandbits(64):016x}@{DOMAIN}>"
        if kind == "staff":
            ip = home[user] if rng.random() < 0.05 else office[user]
            message(log, rng, t, ip, user, user, msgid, rcpts)
        elif kind == "news":
            message(log, rng, t, "192.0.2.200", user, user, msgid,
                    [f"reader{rng.randrange(100000)}@{rng.choice(PARTNERS)}"])
        elif kind == "loud":
            rcpts = [f"v{rng.randrange(10**6)}@{d}" for d in
                     rng.choices(PARTNERS + ["example.jp", "example.co.jp"], k=rng.randrange(3, 9))]
            bad_id = "<>" if rng.random() < 0.5 else \
                f"<{rng.getrandbits(48):012X}@DESKTOP-{rng.getrandbits(28):07X}>"
            message(log, rng, t, rng.choice(botnet), user, rng.choice(forged), bad_id, rcpts,
                    DNSBL if rng.random() < 0.3 else None)
        else:
            message(log, rng, t, rng.choice(foreign), user, user, msgid, rcpts[:2])
        if log.lines >= args.lines:
            break
    log.flush_until(dt.datetime.max)
    if out is not sys.stdout:
        out.close()
    truth = {"lines": log.lines, "compromised": sorted([LOUD, QUIET]), "legitimate_bulk": [NEWS]}
    print(json.dumps(truth), file=sys.stdout if args.out != "-" else sys.stderr)


if __name__ == "__main__":
    main()
