#!/usr/bin/env python3
"""`emotriage serve` over loopback (docs/web.md): security headers on every response, static
assets only from the embedded table, the Host check against DNS rebinding, the access token
(login link → cookie, or Bearer) where required, the CSRF token and Origin on every POST, the
upload size limit; `POST /api/analyze` with multipart files or a pasted source gives the same JSON
as `analyze --format json`; a hostile subject and display name come back as data. The case ledger
(`--db`): mails uploaded into a case, items ticked and kept, notices as `analyze --notices` writes
them with a download header, logs uploads whose flagged accounts join the case, the profile page
(profile check's validation, atomic save, later analyses use it, CSV import); CSRF on every route
that changes state.

    web_api_test.py EMOTRIAGE SOURCE_DIR
"""
import http.client
import json
import os
import re
import gzip
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

BIN, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
PROFILE = os.path.join(SOURCE, "examples/profile.toml")
INCIDENTS = os.path.join(SOURCE, "examples/incidents")
HOSTILE = os.path.join(SOURCE, "tests/data/report/hostile-strings.eml")
CORPUS = os.environ.get("EMOTRIAGE_CORPUS_DIR", os.path.join(SOURCE, "..", "shared", "corpus"))
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
TMP = tempfile.mkdtemp(prefix="emotriage-web-")
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}"[:2000])


class Server:
    def __init__(self, *args, listen="127.0.0.1:0", profile=PROFILE, env=None):
        # Without --db the server takes EMOTRIAGE_DB: a ledger of this test, never the user's.
        environment = {**os.environ, "EMOTRIAGE_DB": os.path.join(TMP, "default.db"), **(env or {})}
        self.process = subprocess.Popen(
            [BIN, "serve", "--listen", listen, "--profile", profile, *args],
            cwd=SOURCE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
        line = self.process.stdout.readline()
        match = re.match(r"emotriage serve: (http://([^/]+)/(\?token=([0-9a-f]{64}))?)$", line.strip())
        if not match:
            self.process.kill()
            raise SystemExit(f"unexpected first line {line!r}: {self.process.stderr.read()}")
        self.url, self.authority, self.token = match.group(1), match.group(2), match.group(4)
        self.port = int(self.authority.rsplit(":", 1)[1])

    def request(self, method, path, body=None, headers=None, host=None, raw_body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or self.authority)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        if raw_body is not None:
            connection.send(raw_body)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        check("stops cleanly on SIGTERM", code == 0, f"exit {code}")


def multipart(files, field="file"):
    boundary = uuid.uuid4().hex
    parts = []
    for name, data in files:
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                     f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
                     + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_security_headers(name, headers):
    check(f"{name}: CSP", headers.get("content-security-policy") == CSP,
          headers.get("content-security-policy"))
    check(f"{name}: nosniff", headers.get("x-content-type-options") == "nosniff")
    check(f"{name}: no referrer", headers.get("referrer-policy") == "no-referrer")
    check(f"{name}: no framing", headers.get("x-frame-options") == "DENY")
    check(f"{name}: no CORS", "access-control-allow-origin" not in headers)


def csrf_token(server, headers=None):
    status, _, body = server.request("GET", "/api/session", headers=headers)
    check("session answers", status == 200, status)
    return json.loads(body)["csrf_token"]


def analyze_cli(paths, lang):
    r = subprocess.run([BIN, "analyze", "--format", "json", "--profile", PROFILE, "--lang", lang,
                        *paths], cwd=SOURCE, capture_output=True, timeout=300)
    check("analyze CLI runs", r.returncode in (0, 1), r.stderr.decode())
    return json.loads(r.stdout)


def test_loopback_server():
    server = Server()
    try:
        check("no token on loopback by default", server.token is None, server.url)
        # Pages, assets and their headers.
        status, headers, body = server.request("GET", "/")
        check("page", status == 200 and b"/assets/app.js" in body, status)
        check("page type", headers.get("content-type") == "text/html; charset=utf-8")
        check_security_headers("page", headers)
        status, headers, body = server.request("GET", "/assets/app.js")
        check("script", status == 200 and headers.get("content-type") == "text/javascript; charset=utf-8")
        check("script never uses innerHTML", b"innerHTML" not in body)
        for path in ["/assets/../CMakeLists.txt", "/assets/%2e%2e/CMakeLists.txt",
                     "/assets/..%2fCMakeLists.txt", "/assets/missing.js", "/../../etc/passwd",
                     "/index.html/../../etc/passwd", "/assets/app.js/", "/CMakeLists.txt"]:
            status, headers, body = server.request("GET", path)
            check(f"no file outside the table: {path}", status == 404 and b"cmake" not in body.lower(),
                  status)
            check_security_headers(f"404 {path}", headers)
        # DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own Host.
        status, _, _ = server.request("GET", "/", host=f"evil.example:{server.port}")
        check("foreign Host refused", status == 403, status)
        status, _, _ = server.request("GET", "/api/session", host=f"127.0.0.1:{server.port + 1}")
        check("Host with another port refused", status == 403, status)
        status, _, _ = server.request("GET", "/", host=f"localhost:{server.port}")
        check("localhost Host accepted", status == 200, status)

        # CSRF on every POST.
        csrf = csrf_token(server)
        check("CSRF token is random hex", re.fullmatch(r"[0-9a-f]{64}", csrf or ""), csrf)
        paste = read(os.path.join(INCIDENTS, "10-not-suspicious-internal-notice.eml"))
        text_headers = {"Content-Type": "text/plain; charset=utf-8"}
        status, _, body = server.request("POST", "/api/analyze", paste, text_headers)
        check("POST without CSRF token refused", status == 403 and b'"csrf"' in body, status)
        status, _, _ = server.request("POST", "/api/analyze", paste,
                                      {**text_headers, "X-CSRF-Token": "0" * 64})
        check("POST with a wrong CSRF token refused", status == 403, status)
        status, _, _ = server.request("POST", "/api/analyze", paste,
                                      {**text_headers, "X-CSRF-Token": csrf,
                                       "Origin": "http://evil.example"})
        check("POST from another origin refused", status == 403, status)
        status, _, _ = server.request("POST", "/api/analyze", paste,
                                      {**text_headers, "X-CSRF-Token": csrf,
                                       "Content-Encoding": "gzip"})
        check("compressed body refused", status == 415, status)
        status, headers, body = server.request(
            "POST", "/api/analyze", paste,
            {**text_headers, "X-CSRF-Token": csrf, "Origin": f"http://{server.authority}"})
        check("pasted source analysed", status == 200, (status, body[:300]))
        check("API answers JSON", headers.get("content-type") == "application/json; charset=utf-8")
        check_security_headers("api", headers)
        pasted = json.loads(body)
        check("pasted: one message", len(pasted["messages"]) == 1)
        check("pasted: not suspicious", pasted["messages"][0]["verdict"]["scenario"] == "not-suspicious")
        check("pasted: Japanese by default",
              re.search("[\u3040-\u30ff]", pasted["messages"][0]["verdict"]["summary"]),
              pasted["messages"][0]["verdict"]["summary"])
        status, _, body = server.request("POST", "/api/analyze", b"x",
                                         {"Content-Type": "application/json", "X-CSRF-Token": csrf})
        check("other content types refused", status == 415, status)
        body_bytes, form_headers = multipart([("a.eml", paste)], field="other")
        status, _, _ = server.request("POST", "/api/analyze", body_bytes,
                                      {**form_headers, "X-CSRF-Token": csrf})
        check("multipart without field file refused", status == 400, status)

        # Every example mail at once: the same JSON as `analyze --format json` (but the source,
        # which is the uploaded file's name), in both languages.
        names = sorted(n for n in os.listdir(INCIDENTS) if n.endswith(".eml"))
        body_bytes, form_headers = multipart([(n, read(os.path.join(INCIDENTS, n))) for n in names])
        for lang in ["ja", "en"]:
            status, _, body = server.request("POST", f"/api/analyze?lang={lang}", body_bytes,
                                             {**form_headers, "X-CSRF-Token": csrf})
            check(f"upload of {len(names)} mails ({lang})", status == 200, (status, body[:300]))
            web = json.loads(body)
            cli = analyze_cli([os.path.join("examples/incidents", n) for n in names], lang)
            check("same top-level keys as analyze", list(web) == list(cli), list(web))
            check("same number of messages", len(web["messages"]) == len(cli["messages"]),
                  (len(web["messages"]), len(cli["messages"])))
            # The CLI names a mail by its path, the server by the uploaded file's name.
            relative = lambda value: json.dumps(value, ensure_ascii=False).replace("examples/incidents/", "")
            for w, c in zip(web["messages"], cli["messages"]):
                check(f"message {w['source']} as analyze ({lang})", relative(w) == relative(c),
                      (w["source"], c["source"]))
            check(f"campaign as analyze ({lang})", relative(web["campaign"]) == relative(cli["campaign"]))
        # The expected scenario of each example (examples/incidents/expected.tsv).
        with open(os.path.join(INCIDENTS, "expected.tsv"), encoding="utf-8") as f:
            expected = dict(line.split("\t")[:2] for line in f.read().splitlines()[1:] if line)
        check("expected.tsv read", len(expected) >= len(names), len(expected))
        by_source = {m["source"]: m["verdict"]["scenario"] for m in web["messages"]}
        for name, scenario in expected.items():
            check(f"expected scenario of {name}", by_source.get(name) == scenario,
                  (by_source.get(name), scenario))

        # Hostile subject and display name: data in JSON, never markup the server made.
        body_bytes, form_headers = multipart([("<img src=x onerror=alert(1)>.eml", read(HOSTILE))])
        status, headers, body = server.request("POST", "/api/analyze", body_bytes,
                                               {**form_headers, "X-CSRF-Token": csrf})
        check("hostile mail analysed", status == 200, status)
        check("hostile answer is JSON", headers.get("content-type", "").startswith("application/json"))
        hostile = json.loads(body)["messages"][0]
        check("hostile subject kept as data", "<script>alert(1)</script>" in hostile["subject"],
              hostile["subject"])
        check("hostile display name kept as data",
              "<img src=x onerror=alert(2)>" in hostile["from"]["display_name"])
        check("hostile file name kept as data", hostile["source"] == "<img src=x onerror=alert(1)>.eml",
              hostile["source"])

        # A real Outlook .msg (Apache POI's test file) is read like the CLI reads it.
        msg = os.path.join(CORPUS, "apache_poi/hsmf/quick.msg")
        if not os.path.exists(msg):
            print(f"skip .msg upload: no {msg}")
        else:
            body_bytes, form_headers = multipart([("quick.msg", read(msg))])
            status, _, body = server.request("POST", "/api/analyze?lang=en", body_bytes,
                                             {**form_headers, "X-CSRF-Token": csrf})
            messages = json.loads(body)["messages"] if status == 200 else []
            check(".msg analysed", status == 200 and len(messages) == 1, (status, body[:300]))
            if messages:
                check(".msg subject", messages[0]["subject"] == "Test the content transformer",
                      messages[0]["subject"])
                check(".msg sender", messages[0]["from"]["display_name"] == "Kevin Roast",
                      messages[0]["from"])
                check(".msg named as uploaded", messages[0]["source"] == "quick.msg", messages[0]["source"])
    finally:
        server.stop()


def test_token_server():
    server = Server("--require-token", "--max-upload-mb", "1", "--lang", "en")
    try:
        check("token printed", server.token is not None, server.url)
        status, headers, body = server.request("GET", "/")
        check("page needs the token", status == 401, status)
        check_security_headers("401", headers)
        status, _, _ = server.request("GET", "/api/session")
        check("API needs the token", status == 401, status)
        status, _, _ = server.request("GET", "/?token=" + "0" * 64)
        check("wrong token refused", status == 401, status)
        status, headers, _ = server.request("GET", "/?token=" + server.token)
        cookie = headers.get("set-cookie", "")
        check("login link redirects", status == 303 and headers.get("location") == "/",
              (status, headers.get("location")))
        check("session cookie is HttpOnly, SameSite=Strict",
              "HttpOnly" in cookie and "SameSite=Strict" in cookie and server.token in cookie, cookie)
        session = {"Cookie": cookie.split(";", 1)[0]}
        status, _, _ = server.request("GET", "/", headers=session)
        check("cookie opens the page", status == 200, status)
        bearer = {"Authorization": "Bearer " + server.token}
        csrf = csrf_token(server, bearer)
        paste = read(os.path.join(INCIDENTS, "05-external-malspam-onenote.eml"))
        status, _, body = server.request("POST", "/api/analyze?lang=en", paste,
                                         {**bearer, "X-CSRF-Token": csrf,
                                          "Content-Type": "text/plain"})
        check("Bearer + CSRF analyses", status == 200, (status, body[:200]))
        if status == 200:
            message = json.loads(body)["messages"][0]
            check("English on request", message["verdict"]["scenario"] == "external-malspam" and
                  not re.search("[\u3040-\u30ff]", message["verdict"]["summary"]),
                  message["verdict"]["summary"])
        status, _, _ = server.request("POST", "/api/analyze", paste,
                                      {"X-CSRF-Token": csrf, "Content-Type": "text/plain"})
        check("CSRF token alone is not a login", status == 401, status)
        big = b"x" * (2 << 20)
        status, _, _ = server.request("POST", "/api/analyze", big,
                                      {**bearer, "X-CSRF-Token": csrf, "Content-Type": "text/plain"})
        check("upload over the limit refused", status == 413, status)
        # Chunked, the body has no Content-Length to check the limit against before reading.
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece)
                           for piece in [big[i:i + 65536] for i in range(0, len(big), 65536)]) + b"0\r\n\r\n"
        status, _, _ = server.request("POST", "/api/analyze", None,
                                      {**bearer, "X-CSRF-Token": csrf, "Content-Type": "text/plain",
                                       "Transfer-Encoding": "chunked"}, raw_body=chunked)
        check("chunked upload refused", status == 411, status)
    finally:
        server.stop()


def test_any_address_needs_the_token():
    server = Server("--lang", "en", listen="0.0.0.0:0")
    try:
        check("token required on a non-loopback address", server.token is not None, server.url)
        status, _, _ = server.request("GET", "/api/session")
        check("no token: 401", status == 401, status)
        status, _, _ = server.request("GET", "/api/session",
                                      headers={"Authorization": "Bearer " + server.token})
        check("Bearer token: 200", status == 200, status)
        warning = server.process.stdout.readline() + server.process.stdout.readline()
        check("warns that other computers can connect", "other computers" in warning, warning)
    finally:
        server.stop()


def test_bad_listen():
    r = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:http", "--lang", "en"],
                       capture_output=True, text=True, timeout=30)
    check("bad --listen: exit 2", r.returncode == 2 and "HOST:PORT" in r.stderr, (r.returncode, r.stderr))


def test_port_taken():
    # A second server on a port in use must not start (with SO_REUSEPORT the kernel would split
    # the requests between the two servers): exit 2 with its message, in both languages.
    server = Server("--lang", "en")
    try:
        for lang, message in [("en", "cannot listen on"), ("ja", "待ち受けできません")]:
            try:
                r = subprocess.run([BIN, "serve", "--listen", f"127.0.0.1:{server.port}", "--lang", lang,
                                    "--profile", PROFILE, "--db", os.path.join(TMP, "taken.db")],
                                   capture_output=True, text=True, timeout=20)
            except subprocess.TimeoutExpired as running:
                check(f"port taken: exit 2 ({lang})", False, f"a second server started: {running.stdout}")
                continue
            check(f"port taken: exit 2 ({lang})", r.returncode == 2 and message in r.stderr and
                  not r.stdout, (r.returncode, r.stdout, r.stderr))
        status, _, _ = server.request("GET", "/api/session")
        check("the first server still answers", status == 200, status)
    finally:
        server.stop()


NOW = "2026-01-05T09:12:00Z"


def test_notice_local_date():
    # 20:00 UTC is 05:00 the next morning in Tokyo: the notices are dated in local time, the day
    # the reader lives in, as `emotriage notice` dates them.
    evening = "2026-01-05T20:00:00Z"
    work = tempfile.mkdtemp(dir=TMP)
    zone = {"TZ": "Asia/Tokyo"}
    server = Server("--db", os.path.join(work, "cases.db"), env={**zone, "EMOTRIAGE_NOW": evening})
    try:
        csrf = csrf_token(server)
        mail = os.path.join(INCIDENTS, "01-own-account-compromised-zip-password.eml")
        upload, form_headers = multipart([("01.eml", read(mail))])
        status, _, _ = server.request("POST", "/api/cases/dated/mails", upload,
                                      {**form_headers, "X-CSRF-Token": csrf})
        check("dated: upload", status == 200, status)
        notices = {n["name"]: n["body"] for n in get_json(server, "/api/cases/dated/notices?lang=ja")["notices"]}
        website = notices.get("website-notice.ja.txt", "")
        check("website notice dated in local time", "2026-01-06" in website and "2026-01-05" not in website,
              website[:200])
        check("staff alert dated in local time",
              "Date: Tue, 06 Jan 2026 05:00:00 +0900" in notices.get("staff-alert.ja.txt", ""),
              notices.get("staff-alert.ja.txt", "")[:300])
        # The CLI at the same instant in the same zone writes the same drafts.
        drafts = os.path.join(work, "notices")
        r = subprocess.run([BIN, "analyze", "--profile", PROFILE, "--format", "json", "--notices", drafts, mail],
                           cwd=SOURCE, capture_output=True, timeout=300,
                           env={**os.environ, **zone, "SOURCE_DATE_EPOCH": "1767643200"})
        check("dated: analyze --notices runs", r.returncode in (0, 1), r.stderr[-300:])
        for name, body in notices.items():
            with open(os.path.join(drafts, name), encoding="utf-8") as f:
                check(f"dated: {name} as analyze --notices", body == f.read())
    finally:
        server.stop()


def send_json(server, method, path, value, csrf):
    return server.request(method, path, json.dumps(value).encode(),
                          {"Content-Type": "application/json", "X-CSRF-Token": csrf})


def get_json(server, path):
    status, headers, body = server.request("GET", path)
    check(f"GET {path}", status == 200 and headers.get("content-type", "").startswith("application/json"),
          (status, body[:300]))
    return json.loads(body) if status == 200 else {}


def test_case_ledger():
    work = tempfile.mkdtemp(dir=TMP)
    profile = os.path.join(work, "profile.toml")
    shutil.copyfile(PROFILE, profile)
    db = os.path.join(work, "cases.db")
    server = Server("--db", db, profile=profile, env={"EMOTRIAGE_NOW": NOW, "TZ": "UTC"})
    try:
        csrf = csrf_token(server)
        name = "<img src=x onerror=alert(1)> 案件"
        path = "/api/cases/" + urllib.parse.quote(name, safe="")
        own = read(os.path.join(INCIDENTS, "01-own-account-compromised-zip-password.eml"))
        upload, form_headers = multipart([("01.eml", own), ("hostile.eml", read(HOSTILE))])

        # Every route that changes state refuses a request without the CSRF token.
        log_body, log_headers = multipart([("mail.log", b"x\n")])
        csv_body, csv_headers = multipart([("users.csv", b"a,b\n")])
        for method, route, body, headers in [
                ("POST", path + "/mails", upload, form_headers),
                ("PATCH", path + "/items", b'{"key":"close","status":"done","who":"x"}',
                 {"Content-Type": "application/json"}),
                ("POST", path + "/logs", log_body, log_headers),
                ("POST", "/api/logs", log_body, log_headers),
                ("PUT", "/api/profile", b"[company]\n", {"Content-Type": "text/plain"}),
                ("POST", "/api/profile/import-users", csv_body, csv_headers)]:
            status, _, answer = server.request(method, route, body, headers)
            check(f"{method} {route} without CSRF token refused", status == 403 and b'"csrf"' in answer,
                  status)
            status, _, _ = server.request(method, route, body, {**headers, "X-CSRF-Token": "1" * 64})
            check(f"{method} {route} with a wrong CSRF token refused", status == 403, status)
        check("refused requests created no case", get_json(server, "/api/cases")["cases"] == [])
        check("refused profile save left the file", read(profile) == read(PROFILE))

        # Upload into a case: stored, listed, shown.
        status, _, body = server.request("POST", path + "/mails?lang=en", upload,
                                         {**form_headers, "X-CSRF-Token": csrf})
        check("upload into a case", status == 200, (status, body[:300]))
        stored = json.loads(body)
        check("upload answers the analysis and the case",
              stored["case"] == name and stored["stored"] == 2 and len(stored["messages"]) == 2, stored.get("stored"))
        status, _, body = server.request("POST", path + "/mails?lang=en", upload,
                                         {**form_headers, "X-CSRF-Token": csrf})
        check("the same mails again are seen again", json.loads(body).get("seen_again") == 2, body[:200])
        for bad in ["/api/cases/a%2Fb/mails", "/api/cases/a%0Ab/mails", "/api/cases/%2E%2E/mails"]:
            status, _, _ = server.request("POST", bad, upload, {**form_headers, "X-CSRF-Token": csrf})
            check(f"bad case name refused: {bad}", status in (400, 404), status)
        cases = get_json(server, "/api/cases")["cases"]
        check("case listed", [c["name"] for c in cases] == [name], cases)
        page = get_json(server, path + "?lang=en")
        keys = [item["key"] for item in page["items"]]
        account = "reset-mailbox:t.yamada@sample-shoji.example"
        check("checklist has the account to reset", account in keys, keys)
        check("progress counts done items",
              page["progress"] == {"done": 2, "total": len(keys)}, page["progress"])
        check("campaign across the case's mails",
              page["campaign"]["messages"] == 2 and
              [a["target"] for a in page["campaign"]["accounts_to_reset"]] == ["t.yamada@sample-shoji.example"],
              page["campaign"].get("accounts_to_reset"))
        subjects = [m["analysis"]["subject"] for m in page["messages_stored"]]
        check("hostile subject comes back as data", any("<script>alert(1)</script>" in s for s in subjects),
              subjects)
        check("case name comes back as data", page["case"] == name, page["case"])

        # Tick an item: who, note, the server's time; kept on reload, on the timeline.
        who, note = "佐藤 <b>情シス</b>", "changed at 10:00\n<script>alert(3)</script>"
        status, _, body = send_json(server, "PATCH", path + "/items",
                                    {"key": account, "status": "done", "who": who, "note": note}, csrf)
        check("item ticked", status == 200 and json.loads(body)["at"] == NOW, (status, body[:300]))
        page = get_json(server, path + "?lang=ja")
        item = next(i for i in page["items"] if i["key"] == account)
        check("tick kept after reload", (item["status"], item["who"], item["note"], item["at"]) ==
              ("done", who, note, NOW), item)
        check("progress follows", page["progress"]["done"] == 3, page["progress"])
        check("timeline records it", any(e["item"] == account and e["who"] == who for e in page["events"]))
        # A change without a note ("note" absent or null) keeps the note; "" clears it.
        item_now = lambda: next(i for i in get_json(server, path)["items"] if i["key"] == account)
        for change in [{}, {"note": None}]:
            status, _, body = send_json(server, "PATCH", path + "/items",
                                        {"key": account, "status": "done", "who": who, **change}, csrf)
            check(f"note kept by {change}", status == 200 and json.loads(body)["note"] == note and
                  item_now()["note"] == note, (status, body[:200]))
        status, _, body = send_json(server, "PATCH", path + "/items",
                                    {"key": account, "status": "todo", "who": who, "note": ""}, csrf)
        check("item unticked", status == 200 and item_now()["status"] == "todo")
        check("an empty note clears the note", json.loads(body)["note"] == "" and item_now()["note"] == "",
              item_now())
        for change, expected in [({"key": account, "status": "finished", "who": "x"}, 400),
                                 ({"key": account, "status": "done"}, 400),
                                 ({"key": account, "status": "done", "who": "x" * 201}, 400),
                                 ({"key": account, "status": "done", "who": "x", "note": 5}, 400),
                                 ({"key": account, "status": "done", "who": "x", "note": "x" * 4001}, 400),
                                 ({"key": "no-such-item", "status": "done", "who": "x"}, 404),
                                 (["not", "an", "object"], 400)]:
            status, _, _ = send_json(server, "PATCH", path + "/items", change, csrf)
            check(f"bad item change refused: {change}", status == expected, status)
        status, _, _ = server.request("PATCH", path + "/items", b"{", {"Content-Type": "application/json",
                                                                        "X-CSRF-Token": csrf})
        check("broken JSON refused", status == 400, status)
        status, _, _ = send_json(server, "PATCH", "/api/cases/missing/items",
                                 {"key": account, "status": "done", "who": "x"}, csrf)
        check("item of a missing case: 404", status == 404, status)
        status, _, _ = server.request("GET", "/api/cases/missing")
        check("missing case: 404", status == 404, status)

        # Notices: the same files `analyze --notices` writes for these mails, ja and en.
        drafts = os.path.join(work, "notices")
        r = subprocess.run([BIN, "analyze", "--profile", PROFILE, "--format", "json", "--notices", drafts,
                            "--date", NOW, os.path.join(INCIDENTS, "01-own-account-compromised-zip-password.eml"),
                            HOSTILE], cwd=SOURCE, capture_output=True, timeout=300)
        check("analyze --notices runs", r.returncode in (0, 1), r.stderr[-300:])
        for lang in ["ja", "en"]:
            notices = get_json(server, f"{path}/notices?lang={lang}")["notices"]
            names = [n["name"] for n in notices]
            check(f"notices in {lang}", f"staff-alert.{lang}.txt" in names and
                  all(n.endswith(f".{lang}.txt") for n in names), names)
            for notice in notices:
                with open(os.path.join(drafts, notice["name"]), encoding="utf-8") as f:
                    check(f"notice {notice['name']} as analyze --notices", notice["body"] == f.read())
            staff = next(n for n in notices if n["name"] == f"staff-alert.{lang}.txt")
            status, headers, body = server.request("GET", f"{path}/notices/staff-alert.{lang}.txt")
            check(f"notice download {lang}", status == 200 and body.decode() == staff["body"], status)
            check(f"download header {lang}", headers.get("content-disposition") ==
                  f'attachment; filename="staff-alert.{lang}.txt"', headers.get("content-disposition"))
            check(f"download type {lang}", headers.get("content-type") == "text/plain; charset=utf-8")
            check_security_headers("download", headers)
        status, headers, body = server.request("GET", f"{path}/notices/staff-alert.ja.eml")
        check("draft mail download", status == 200 and headers.get("content-type") == "message/rfc822"
              and b"Subject:" in body, status)
        for bad in ["..%2F..%2Fetc%2Fpasswd", "..", "staff-alert.ja.TXT", "missing.ja.txt", "%2Fetc%2Fpasswd"]:
            status, _, body = server.request("GET", f"{path}/notices/{bad}")
            check(f"no notice {bad}", status == 404 and b"root:" not in body, status)

        # Logs: a generated Postfix log with known compromised accounts, gzip, into the case.
        log = os.path.join(work, "mail.log")
        truth = json.loads(subprocess.run(
            [sys.executable, os.path.join(SOURCE, "bench/gen_postfix_log.py"), "--lines", "20000",
             "--seed", "3", "--out", log], capture_output=True, text=True, check=True).stdout)
        compromised = sorted(truth["compromised"])
        logs_body, logs_headers = multipart([("mail.log.gz", gzip.compress(read(log)))])
        status, _, body = server.request("POST", "/api/logs?lang=en", logs_body,
                                         {**logs_headers, "X-CSRF-Token": csrf})
        answer = json.loads(body)
        check("logs without a case", status == 200 and "case" not in answer and
              sorted(a["account"] for a in answer["flagged"]) == compromised, (status, body[:300]))
        check("logs file named as uploaded", [f["path"] for f in answer["files"]] == ["mail.log.gz"])
        status, _, body = server.request("POST", path + "/logs?lang=en", logs_body,
                                         {**logs_headers, "X-CSRF-Token": csrf})
        answer = json.loads(body)
        check("logs into the case flag the compromised accounts", status == 200 and
              sorted(a["account"] for a in answer["flagged"]) == compromised, (status, body[:300]))
        page = get_json(server, path + "?lang=en")
        keys = {item["key"]: item for item in page["items"]}
        for target in compromised:
            check(f"logs: {target} to reset in the case", f"reset-mailbox:{target}" in keys, list(keys))
        check("logs checked by emotriage", keys.get("check-logs", {}).get("status") == "done" and
              keys["check-logs"]["who"] == "emotriage", keys.get("check-logs"))
        check("logs join the case's campaign", sorted(a["account"] for a in page["campaign"].get(
              "mass_sending_accounts", [])) == compromised, page["campaign"].get("mass_sending_accounts"))
        check("logs accounts stored", sorted(a["account"] for a in page["log_accounts"]) == compromised)
        body_bytes, text_headers = b"x", {"Content-Type": "text/plain", "X-CSRF-Token": csrf}
        status, _, _ = server.request("POST", "/api/logs", body_bytes, text_headers)
        check("logs need multipart", status == 415, status)

        # Profile: view, validation of `profile check`, atomic save, later analyses use it.
        view = get_json(server, "/api/profile")
        check("profile view", view["editable"] and view["toml"] == read(profile).decode() and
              view["profile"]["company"]["domains"] == ["sample-shoji.example"], view.get("profile"))
        broken = "[company]\nname = \"X\"\ndomains = [\"bad domain\"]\n"
        status, _, body = server.request("PUT", "/api/profile", broken.encode(),
                                         {"Content-Type": "text/plain; charset=utf-8", "X-CSRF-Token": csrf})
        errors = json.loads(body).get("errors", [])
        r = subprocess.run([BIN, "profile", "check", "--lang", "en", "/dev/stdin"], input=broken,
                           capture_output=True, text=True)
        check("invalid profile refused with profile check's errors", status == 422 and errors and
              errors[0]["line"] == 3 and errors[0]["message_en"] in r.stderr, (status, errors, r.stderr))
        check("invalid profile not written", read(profile) == read(PROFILE))
        status, _, _ = server.request("PUT", "/api/profile", b"[company]\n",
                                      {"Content-Type": "application/xml", "X-CSRF-Token": csrf})
        check("profile must be TOML or JSON", status == 415, status)
        # The page's form: the profile as data, written by profile_to_toml, validated the same way.
        for form, expected in [(b"[company]\n", 400), (json.dumps({"company": {"domains": "x"}}).encode(), 400),
                               (json.dumps({**view["profile"], "employees": [{"names": [1]}]}).encode(), 400),
                               (json.dumps({**view["profile"], "company": {**view["profile"]["company"],
                                            "domains": ["bad domain"]}}).encode(), 422)]:
            status, _, body = server.request("PUT", "/api/profile", form,
                                             {"Content-Type": "application/json", "X-CSRF-Token": csrf})
            check(f"bad form refused ({expected})", status == expected, (status, body[:200]))
        check("refused forms not written", read(profile) == read(PROFILE))
        form = {**view["profile"], "partners": view["profile"]["partners"] + [
            {"name": "新規 \"取引先\" <b>", "domains": ["new-partner.example"], "contact": ""}]}
        status, _, body = server.request("PUT", "/api/profile", json.dumps(form).encode(),
                                         {"Content-Type": "application/json", "X-CSRF-Token": csrf})
        saved = json.loads(body)
        check("form saved", status == 200 and saved["profile"] == form, (status, body[:300]))
        r = subprocess.run([BIN, "profile", "check", "--lang", "en", profile], capture_output=True, text=True)
        check("form's file passes profile check", r.returncode == 0, r.stdout + r.stderr)
        before = json.loads(server.request("POST", "/api/analyze", own, {"Content-Type": "text/plain",
                                                                         "X-CSRF-Token": csrf})[2])
        changed = read(PROFILE).decode().replace("sample-shoji.example", "other-company.example")
        status, _, body = server.request("PUT", "/api/profile", changed.encode(),
                                         {"Content-Type": "text/plain; charset=utf-8", "X-CSRF-Token": csrf})
        check("valid profile saved", status == 200 and read(profile).decode() == changed and
              json.loads(body)["profile"]["company"]["domains"] == ["other-company.example"], (status, body[:300]))
        check("no temporary file left", not [n for n in os.listdir(work) if n.startswith(".profile")],
              os.listdir(work))
        after = json.loads(server.request("POST", "/api/analyze", own, {"Content-Type": "text/plain",
                                                                        "X-CSRF-Token": csrf})[2])
        check("later analyses use the new profile",
              before["messages"][0]["verdict"]["scenario"] == "own-account-compromised" and
              after["messages"][0]["verdict"]["scenario"] != "own-account-compromised",
              after["messages"][0]["verdict"]["scenario"])
        csv = read(os.path.join(SOURCE, "tests/data/profile/m365.csv"))
        boundary = uuid.uuid4().hex
        form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\n".encode()
                + csv + f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"toml\"\r\n\r\n".encode()
                + read(PROFILE) + f"\r\n--{boundary}--\r\n".encode())
        status, _, body = server.request("POST", "/api/profile/import-users", form, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRF-Token": csrf})
        imported = json.loads(body)
        check("CSV import merges", status == 200 and imported["added"] >= 1 and
              "n.person@sample-shoji.example" in imported["toml"], (status, body[:300]))
        r = subprocess.run([BIN, "profile", "import-users", "--profile", PROFILE,
                            os.path.join(SOURCE, "tests/data/profile/m365.csv")], capture_output=True, text=True)
        check("CSV import as profile import-users", imported.get("toml") == r.stdout)
        check("CSV import does not save", read(profile).decode() == changed)
        status, _, _ = server.request("POST", "/api/profile/import-users", form.replace(
            b"[company]", b"[company"), {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                         "X-CSRF-Token": csrf})
        check("CSV import into a broken profile refused", status == 422, status)
    finally:
        server.stop()


test_loopback_server()
test_token_server()
test_any_address_needs_the_token()
test_bad_listen()
test_port_taken()
test_case_ledger()
test_notice_local_date()
shutil.rmtree(TMP, ignore_errors=True)
print(f"web_api: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
