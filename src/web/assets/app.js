// emotriage web UI. Every mail-derived string reaches the page as a text node (textContent), never
// as markup nor as an attribute a browser interprets, and URLs found in mail are never links.
// Elements carry data-testid hooks for the browser tests (docs/web.md, "UI contract").
"use strict";

const TEXT = {
  ja: {
    tagline: "Emotet 型メールの判定と対応手順",
    drop: "メール (.eml / .msg / winmail.dat / mbox / PST) をここにドロップ、またはクリックして選択 (複数可)",
    pasteSummary: "メールのソースを貼り付ける",
    analyze: "判定する",
    privacy: "メールはこのコンピューターの中だけで解析され、このコンピューターの案件台帳にだけ保存されます。外部には送信されません。添付ファイルは開かれず、メールの HTML は表示されません。",
    navHome: "メールを調べる", navCases: "案件", navProfile: "会社プロファイル",
    caseName: "案件名 (アップロードしたメールはこの案件に保存されます)",
    logsTitle: "メールサーバーのログ", logsHelp: "Postfix・Exim・Sendmail・Dovecot のログ、Exchange・Microsoft 365 の CSV (gzip 可)。大量送信しているアカウントを探し、上の案件に加えます。",
    logsNone: "大量送信と判断したアカウントはありません。", logsFlagged: "大量送信と判断したアカウント",
    messagesWord: "通", reasons: "理由",
    noCases: "案件はまだありません。", mails: "メール", suspiciousWord: "不審", open: "未完了",
    checklist: "チェックリスト", progress: "進捗", done: "完了", who: "担当者", note: "メモ", save: "保存",
    saved: "保存しました。", whoRequired: "担当者を入れてください。",
    timeline: "経緯", notices: "お知らせ (下書き)", noNotices: "不審なメールがないため、お知らせはありません。",
    copy: "コピー", copied: "コピーしました。", download: "ダウンロード",
    mailsTitle: "案件のメール", logAccounts: "ログで見つかったアカウント",
    profileToml: "プロファイル (TOML)。保存すると profile check と同じ検査をしてからファイルを置き換え、以後の解析に使います。",
    csvImport: "社員を CSV から取り込む", imported: (r) => `取り込み: 追加 ${r.added}、更新 ${r.updated}、変更なし ${r.unchanged}、読み飛ばし ${r.skipped.length} (${r.format})。内容を確認して保存してください。`,
    notEditable: "serve を --profile FILE 付きで起動すると、ここで編集・保存できます。",
    profileFormTitle: "項目ごとに編集", profileTomlTitle: "TOML で編集",
    profileFormHelp: "一覧の欄は 1 行に 1 つずつ書きます。フォームで保存するとファイルのコメントは残りません。",
    nameJa: "会社名", nameEn: "会社名 (英語)", website: "Web サイト", contactDepartment: "連絡先の部署",
    contactPhone: "連絡先の電話", contactEmail: "連絡先のメール", names: "氏名 (表記ごとに 1 行)",
    emails: "メールアドレス", department: "部署", partnerName: "取引先名", partnerContact: "取引先の連絡先",
    addEmployee: "社員を追加", addPartner: "取引先を追加", remove: "削除",
    company: "会社", domains: "ドメイン", servers: "送信サーバー", employeesWord: "社員", partnersWord: "取引先",
    working: "解析しています…",
    nothing: "ファイルを選ぶか、ソースを貼り付けてください。",
    failed: "解析できませんでした: ",
    summaryLine: (c) => `${c.messages} 通中 ${c.suspicious} 通が不審です。`,
    score: "スコア",
    emotet: "Emotet 型",
    from: "差出人", to: "宛先", subject: "件名", date: "日時", source: "ファイル", sha256: "SHA-256",
    origin: "経路", account: "認証アカウント",
    employees: "使われている社員の情報", participants: "引用されたやり取りの参加者",
    attachments: "添付ファイル", urls: "URL (開かないでください)",
    findings: "根拠", evidence: "証拠", none: "該当なし",
    accountsToReset: "パスワードを変更するアカウント", sendersToContact: "連絡する相手",
    partners: "やり取りが盗まれた取引先", checkPcs: "先に確認する PC",
    campaign: "全体のまとめ", errors: "読めなかった入力", skipped: "メールではない入力",
    encrypted: "暗号化", password: "パスワード", macros: "マクロ", autoexec: "自動実行",
    analysisFailed: "このメールの解析は途中で失敗しました。",
    steps: {
      1: "① メールの確保", 2: "② 差出人・本文・添付の確認", 3: "③ 差出人アドレスは当社のものか",
      4: "④ 誰の情報が使われているか", 5: "⑤ パスワード変更", 6: "⑥ 関係先への連絡",
      7: "⑦ お知らせの掲載", 8: "駆除 (PC の確認)", 9: "予防",
    },
    verdicts: "判定", showMail: "詳しく見る", noteEvent: "メモ",
    caseNameBytes: "案件名は 1〜100 バイト (日本語ならおよそ 33 文字) で、/ \\ と制御文字は使えません。",
    statuses: { todo: "未完了", done: "完了", skipped: "見送り", "not-needed": "不要" },
    severities: { high: "高", medium: "中", low: "低", info: "情報" },
    origins: {
      "own-server-authenticated": "当社のサーバーから認証付きで送信", "own-server": "当社のサーバーを経由",
      external: "社外のサーバーから送信", unknown: "経路ヘッダーなし (不明)",
    },
    logReasons: {
      burst: "短時間の大量送信", "many-client-ips": "多数の接続元", "envelope-sender-mismatch": "差出人の偽装",
      "dnsbl-rejections": "ブラックリストによる拒否", "new-client-ips": "新しい接続元", "night-time": "深夜の送信",
      "suspicious-message-ids": "不審な Message-ID", "failed-logins": "ログイン失敗",
    },
    scenarios: {
      "own-account-compromised": "当社のアカウントが乗っ取られて送信",
      "own-address-spoofed": "当社のアドレスの詐称",
      "identity-misused-external": "社外のアドレスが当社の情報を悪用",
      "external-malspam": "社外からの Emotet 型メール",
      "not-suspicious": "不審な点なし",
    },
  },
  en: {
    tagline: "Verdict and response steps for Emotet-style mail",
    drop: "Drop mail (.eml / .msg / winmail.dat / mbox / PST) here, or click to choose (several at once)",
    pasteSummary: "Paste the source of a mail",
    analyze: "Analyse",
    privacy: "Mail is analysed on this computer only and stored only in this computer's case ledger; nothing is sent anywhere. Attachments are never opened and the mail's HTML is never shown.",
    navHome: "Check mail", navCases: "Cases", navProfile: "Company profile",
    caseName: "Case name (uploaded mail is stored in this case)",
    logsTitle: "Mail-server logs", logsHelp: "Postfix, Exim, Sendmail or Dovecot logs, Exchange or Microsoft 365 CSV (gzip too): finds accounts that mass-send and adds them to the case above.",
    logsNone: "No account was found mass-sending.", logsFlagged: "Accounts found mass-sending",
    messagesWord: "mails", reasons: "reasons",
    noCases: "No case yet.", mails: "mails", suspiciousWord: "suspicious", open: "open",
    checklist: "Checklist", progress: "Progress", done: "done", who: "who", note: "note", save: "Save",
    saved: "Saved.", whoRequired: "Fill in who did it.",
    timeline: "Timeline", notices: "Notices (drafts)", noNotices: "No suspicious mail: no notice.",
    copy: "Copy", copied: "Copied.", download: "Download",
    mailsTitle: "Mails of the case", logAccounts: "Accounts found in the logs",
    profileToml: "Profile (TOML). Saving checks it as profile check does, then replaces the file; later analyses use it.",
    csvImport: "Import employees from CSV", imported: (r) => `Imported: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped.length} skipped (${r.format}). Review, then save.`,
    notEditable: "Start serve with --profile FILE to edit and save the profile here.",
    profileFormTitle: "Edit field by field", profileTomlTitle: "Edit as TOML",
    profileFormHelp: "List fields take one entry per line. Saving the form does not keep the file's comments.",
    nameJa: "Company name", nameEn: "Company name (English)", website: "Website", contactDepartment: "Contact department",
    contactPhone: "Contact phone", contactEmail: "Contact e-mail", names: "Names (one spelling per line)",
    emails: "E-mail addresses", department: "Department", partnerName: "Partner name", partnerContact: "Partner contact",
    addEmployee: "Add employee", addPartner: "Add partner", remove: "Remove",
    company: "Company", domains: "Domains", servers: "Outbound servers", employeesWord: "Employees", partnersWord: "Partners",
    working: "Analysing…",
    nothing: "Choose a file or paste a source first.",
    failed: "Could not analyse: ",
    summaryLine: (c) => `${c.suspicious} of ${c.messages} mails are suspicious.`,
    score: "score",
    emotet: "Emotet-like",
    from: "From", to: "To", subject: "Subject", date: "Date", source: "File", sha256: "SHA-256",
    origin: "Route", account: "authenticated account",
    employees: "Our employees' information used", participants: "Participants of the quoted thread",
    attachments: "Attachments", urls: "URLs (do not open)",
    findings: "Evidence", evidence: "evidence", none: "none",
    accountsToReset: "Accounts whose passwords to change", sendersToContact: "Whom to contact",
    partners: "Partners whose threads were stolen", checkPcs: "PCs to check first",
    campaign: "Summary of all mails", errors: "Inputs that could not be read", skipped: "Inputs that are not mail",
    encrypted: "encrypted", password: "password", macros: "macros", autoexec: "auto-run",
    analysisFailed: "The analysis of this mail failed part-way.",
    steps: {
      1: "1 Secure the mail", 2: "2 Read sender, body and attachments", 3: "3 Is the sender address ours?",
      4: "4 Whose information is used?", 5: "5 Reset passwords", 6: "6 Contact those concerned",
      7: "7 Post a notice", 8: "Removal: check PCs", 9: "Prevention",
    },
    verdicts: "Verdicts", showMail: "Show the details", noteEvent: "Note",
    caseNameBytes: "A case name takes 1 to 100 bytes (about 33 Japanese characters), without / \\ or control characters.",
    statuses: { todo: "to do", done: "done", skipped: "skipped", "not-needed": "not needed" },
    severities: { high: "high", medium: "medium", low: "low", info: "info" },
    origins: {
      "own-server-authenticated": "sent through our servers by an authenticated user", "own-server": "passed our servers",
      external: "came from a server outside ours", unknown: "unknown (no Received headers)",
    },
    logReasons: {
      burst: "burst", "many-client-ips": "many client addresses", "envelope-sender-mismatch": "envelope sender mismatch",
      "dnsbl-rejections": "block-list rejections", "new-client-ips": "new client addresses", "night-time": "night-time sending",
      "suspicious-message-ids": "suspicious Message-IDs", "failed-logins": "failed logins",
    },
    scenarios: {
      "own-account-compromised": "Our account was taken over and sent it",
      "own-address-spoofed": "Our address was forged",
      "identity-misused-external": "An outside address misuses our information",
      "external-malspam": "Emotet-style mail from outside",
      "not-suspicious": "Nothing suspicious",
    },
  },
};

// Which step of the procedure a finding is evidence for, by its id's family.
const FINDING_STEP = {
  parse: 1, forward: 1,
  content: 2, attachment: 2, url: 2, ioc: 2, yara: 2,
  sender: 3, routing: 3, auth: 3,
  identity: 4, thread: 4,
};

// Builds an element; string children become text nodes, so markup in them stays text.
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

// Marks a node as a stable hook for the browser tests (docs/web.md, UI contract).
function hook(node, testid) {
  node.dataset.testid = testid;
  return node;
}

function field(label, value, testid) {
  const shown = el("span", "value", value);
  if (testid) hook(shown, testid);
  return el("div", "field", el("span", "label", label), shown);
}

function address(person) {
  if (!person) return "";
  return person.display_name ? `${person.display_name} <${person.address}>` : person.address || "";
}

function list(items, render) {
  if (!items || items.length === 0) return el("p", "none", t("none"));
  const ul = el("ul");
  for (const item of items) ul.append(el("li", null, render(item)));
  return ul;
}

function findingNode(finding) {
  const node = el("li", `finding severity-${finding.severity}`,
    el("span", "severity", label("severities", finding.severity)), " ", el("code", null, finding.id), " ", finding.message);
  if (finding.evidence) node.append(el("pre", "evidence", finding.evidence));
  return node;
}

function attachmentNode(attachment) {
  const flags = [];
  if (attachment.encrypted) flags.push(t("encrypted"));
  if (attachment.password_found) flags.push(`${t("password")}: ${attachment.password_found}`);
  if (attachment.macros) flags.push(t("macros"));
  if (attachment.autoexec) flags.push(t("autoexec"));
  const node = el("li", null, el("span", "filename", attachment.filename || attachment.path || ""),
    ` (${attachment.detected_type || "?"}${flags.length ? ", " + flags.join(", ") : ""})`);
  if (attachment.children && attachment.children.length) {
    const ul = el("ul");
    for (const child of attachment.children) ul.append(attachmentNode(child));
    node.append(ul);
  }
  return node;
}

function actionsFor(message, step) {
  return (message.actions || []).filter((action) => action.step === step);
}

function stepSection(step, ...content) {
  const section = el("section", "step", el("h4", null, t("steps")[step]), ...content);
  if (step <= 7) {
    hook(section, "step");
    section.dataset.step = String(step);
  }
  return section;
}

function actionList(actions) {
  return actions.length ? list(actions, (action) => action.text || `${action.kind} ${action.target}`) : null;
}

function findingsFor(message, step) {
  const found = (message.findings || []).filter((f) => FINDING_STEP[f.id.split(".")[0]] === step);
  if (found.length === 0) return null;
  const ul = el("ul", "findings");
  for (const finding of found) ul.append(findingNode(finding));
  return el("div", null, el("h5", null, t("findings")), ul);
}

// The verdict: scenario, score, one plain sentence.
function verdictNode(verdict) {
  return el("div", "verdict",
    el("h3", null, label("scenarios", verdict.scenario || ""), " ",
      hook(el("code", "scenario", verdict.scenario || ""), "verdict-scenario")),
    el("p", "score", `${t("score")} `, hook(el("span", null, String(verdict.score ?? "-")), "verdict-score"),
      verdict.emotet_like ? " · " + t("emotet") : ""),
    hook(el("p", "summary", verdict.summary || ""), "verdict-summary"));
}

function messageNode(message) {
  const verdict = message.verdict || {};
  const card = hook(el("article", `message ${verdict.suspicious ? "suspicious" : "clean"}`), "mail-result");
  card.append(verdictNode(verdict));
  if (message.analysis_failed) card.append(el("p", "warning", t("analysisFailed")));
  card.append(el("div", "fields",
    field(t("subject"), message.subject || "", "mail-subject"), field(t("from"), address(message.from), "mail-from"),
    field(t("to"), (message.to || []).map(address).join(", ")), field(t("date"), message.date || "")));

  const origin = message.origin || {};
  card.append(
    stepSection(1, field(t("source"), message.source || ""), field(t("sha256"), message.sha256 || ""),
      actionList(actionsFor(message, 1)), findingsFor(message, 1)),
    stepSection(2, el("h5", null, t("attachments")),
      (message.attachments || []).length ? el("ul", null, ...message.attachments.map(attachmentNode)) : el("p", "none", t("none")),
      el("h5", null, t("urls")), list(message.urls, (url) => el("code", null, url)),
      findingsFor(message, 2)),
    stepSection(3, field(t("origin"), label("origins", origin.kind || "")),
      origin.authenticated_account ? field(t("account"), origin.authenticated_account) : null,
      origin.evidence ? el("pre", "evidence", origin.evidence) : null,
      actionList(actionsFor(message, 3)), findingsFor(message, 3)),
    stepSection(4, el("h5", null, t("employees")),
      list(message.employees_referenced, (e) => `${e.name} <${e.email}> (${(e.where || []).join(", ")})`),
      el("h5", null, t("participants")), list(message.quoted_participants, address),
      findingsFor(message, 4)),
    stepSection(5, el("h5", null, t("accountsToReset")), list(message.accounts_to_reset, (a) => a),
      actionList(actionsFor(message, 5))),
    stepSection(6, actionList(actionsFor(message, 6)) || el("p", "none", t("none"))),
    stepSection(7, actionList(actionsFor(message, 7)) || el("p", "none", t("none"))));
  for (const step of [8, 9]) {
    const actions = actionsFor(message, step);
    if (actions.length) card.append(stepSection(step, actionList(actions)));
  }
  return card;
}

function campaignNode(result) {
  const campaign = result.campaign || {};
  const node = el("section", "campaign", el("h2", null, t("campaign")),
    el("p", null, t("summaryLine")({ messages: campaign.messages || 0, suspicious: campaign.suspicious || 0 })));
  const target = (item) => item.name ? `${item.name} <${item.target}>` : item.target;
  node.append(el("h4", null, t("accountsToReset")), list(campaign.accounts_to_reset, target),
    el("h4", null, t("sendersToContact")), list(campaign.senders_to_contact, target),
    el("h4", null, t("partners")), list(campaign.partners_in_threads, (p) => `${p.target} (${p.domain})`),
    el("h4", null, t("checkPcs")), list(campaign.check_pcs_first, target));
  if ((result.errors || []).length) node.append(el("h4", null, t("errors")), list(result.errors, (e) => e.error));
  if ((result.skipped || []).length) node.append(el("h4", null, t("skipped")), list(result.skipped, (s) => s.source));
  return node;
}

const state = { lang: "ja", csrf: "", error: null, readForm: () => ({}) };

function t(key) { return TEXT[state.lang][key]; }

// The word for an id of the API (status, severity, route, log reason) in the page's language; an
// id the page does not know is shown as it is.
function label(group, id) { return t(group)[id] || id; }

function reasonsText(reasons) { return (reasons || []).map((id) => label("logReasons", id)).join(", "); }

function enc(text) { return encodeURIComponent(text); }

// A refusal of the server ({message_ja, message_en}) or a local message, shown in the page's
// language and shown again in the other one after a switch.
function showError(error) {
  state.error = error;
  const node = document.getElementById("error");
  node.hidden = !error;
  node.textContent = error ? (state.lang === "ja" ? error.ja : error.en) : "";
}

function setStatus(text) { document.getElementById("status").textContent = text; }

async function session() {
  const response = await fetch("/api/session", { credentials: "same-origin" });
  if (!response.ok) throw await refusal(response);
  state.csrf = (await response.json()).csrf_token;
}

async function refusal(response) {
  try {
    const body = await response.json();
    return { ja: body.message_ja, en: body.message_en, body };
  } catch {
    return { ja: `HTTP ${response.status}`, en: `HTTP ${response.status}` };
  }
}

// GET or a state change (with the CSRF token); the parsed JSON, or throws the refusal. A server
// restarted since the page loaded has a new CSRF token: fetched once more, then the change retried.
async function api(method, path, body, headers = {}, retried = false) {
  if (method !== "GET" && !state.csrf) await session();
  const response = await fetch(path, {
    method, credentials: "same-origin", body,
    headers: method === "GET" ? headers : { "X-CSRF-Token": state.csrf, ...headers },
  });
  if (!response.ok) {
    const refused = await refusal(response);
    if (method !== "GET" && !retried && refused.body && refused.body.error === "csrf") {
      state.csrf = "";
      return api(method, path, body, headers, true);
    }
    throw refused;
  }
  return response.json();
}

function failed(error) {
  setStatus("");
  showError(error && error.ja !== undefined ? error : { ja: String(error), en: String(error) });
}

function caseName() { return document.getElementById("case-name").value.trim(); }

// The server takes 1 to 100 bytes of UTF-8 (not characters: a Japanese character is 3 bytes)
// without / \\ or control characters; said before anything is sent.
function caseNameAccepted(name) {
  const bytes = new TextEncoder().encode(name).length;
  if (bytes >= 1 && bytes <= 100 && !/[\\/\u0000-\u001f\u007f]/.test(name) && name !== "." && name !== "..") return true;
  showError({ ja: TEXT.ja.caseNameBytes, en: TEXT.en.caseNameBytes });
  return false;
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `incident-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
}

// Mails go into the named case; the page then shows the case.
async function uploadMails(headers, body) {
  const name = caseName();
  if (!caseNameAccepted(name)) return;
  setStatus(t("working"));
  showError(null);
  try {
    await api("POST", `/api/cases/${enc(name)}/mails?lang=${state.lang}`, body, headers);
    setStatus("");
    const target = `#/cases/${enc(name)}`;
    if (location.hash === target) route(); else location.hash = target;
  } catch (error) {
    failed(error);
  }
}

function flaggedNode(account) {
  return hook(el("li", "flagged",
    el("strong", null, account.account), account.employee ? ` (${account.employee})` : "",
    ` — ${account.messages} ${t("messagesWord")}; ${t("reasons")}: ${reasonsText(account.reasons)}`),
  "flagged-account");
}

async function uploadLogs(files) {
  if (!caseNameAccepted(caseName())) return;
  const form = new FormData();
  for (const file of files) form.append("file", file);
  const result = document.getElementById("logs-result");
  setStatus(t("working"));
  showError(null);
  try {
    const answer = await api("POST", `/api/cases/${enc(caseName())}/logs?lang=${state.lang}`, form);
    const flagged = answer.flagged || [];
    result.replaceChildren(flagged.length
      ? el("div", null, el("h3", null, t("logsFlagged")), el("ul", null, ...flagged.map(flaggedNode)))
      : el("p", "none", t("logsNone")));
    setStatus("");
  } catch (error) {
    failed(error);
  }
}

function showView(name) {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
}

async function showCases() {
  showView("cases");
  const list = document.getElementById("case-list");
  const answer = await api("GET", "/api/cases");
  if (answer.cases.length === 0) {
    list.replaceChildren(el("li", "none", t("noCases")));
    return;
  }
  list.replaceChildren(...answer.cases.map((c) => {
    const open = el("button", "link", c.name);
    open.type = "button";
    open.addEventListener("click", () => { location.hash = `#/cases/${enc(c.name)}`; });
    return hook(el("li", "case-row", open,
      ` — ${c.mails} ${t("mails")}, ${c.suspicious} ${t("suspiciousWord")}, ${c.items_open} ${t("open")} / ${c.items} (${c.created_at})`),
    "case-row");
  }));
}

function input(type, testid, value) {
  const node = hook(document.createElement("input"), testid);
  node.type = type;
  if (type === "checkbox") node.checked = value; else node.value = value;
  return node;
}

function checklistItem(name, item) {
  const done = input("checkbox", "item-done", item.status !== "todo");
  const who = input("text", "item-who", item.who || "");
  who.placeholder = t("who");
  const note = input("text", "item-note", item.note || "");
  note.placeholder = t("note");
  const save = hook(el("button", null, t("save")), "item-save");
  save.type = "button";
  save.addEventListener("click", async () => {
    if (!who.value.trim()) {
      showError({ ja: TEXT.ja.whoRequired, en: TEXT.en.whoRequired });
      return;
    }
    try {
      showError(null);
      await api("PATCH", `/api/cases/${enc(name)}/items`, JSON.stringify({
        key: item.key, status: done.checked ? "done" : "todo", who: who.value, note: note.value,
      }), { "Content-Type": "application/json" });
      await showCase(name);
      setStatus(t("saved"));
    } catch (error) {
      failed(error);
    }
  });
  const row = hook(el("li", `checklist-item status-${item.status}`,
    el("label", null, done, " ", item.label),
    el("span", "meta", item.status !== "todo" ? ` ${label("statuses", item.status)} · ${item.who} · ${item.at}` : ""),
    el("div", "row", who, note, save)), "checklist-item");
  row.dataset.itemId = item.key;
  return row;
}

function noticeNode(name, notice) {
  const body = hook(el("pre", "notice-body", notice.body), "notice-body");
  const copy = hook(el("button", null, t("copy")), "notice-copy");
  copy.type = "button";
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(notice.body);
      setStatus(t("copied"));
    } catch {
      // Without clipboard access the text is selected for Ctrl+C.
      getSelection().selectAllChildren(body);
    }
  });
  const download = hook(el("button", null, `${t("download")} (${notice.name})`), "notice-download");
  download.type = "button";
  // The server answers with Content-Disposition: attachment, so the browser saves the file and
  // stays on this page. The file name is the server's own ([a-z0-9.-]).
  download.addEventListener("click", () => {
    location.assign(`/api/cases/${enc(name)}/notices/${enc(notice.name)}`);
  });
  return hook(el("article", "notice", hook(el("h4", null, notice.title), "notice-title"),
    el("div", "row", copy, download), body), "notice");
}

// The verdict of every mail of the case, first on its page: each row leads to the mail's full
// result (steps 1-7 with the evidence) further down.
function verdictOverview(stored, cards) {
  return hook(el("section", "panel verdicts", el("h3", null, t("verdicts")),
    el("ol", null, ...stored.map((message, index) => {
      const analysis = message.analysis || {};
      const verdict = analysis.verdict || {};
      const more = hook(el("button", "link", t("showMail")), "case-verdict-open");
      more.type = "button";
      more.addEventListener("click", () => cards[index].scrollIntoView({ block: "start" }));
      return hook(el("li", `case-verdict ${verdict.suspicious ? "suspicious" : "clean"}`,
        verdictNode(verdict), field(t("subject"), analysis.subject || ""), more), "case-verdict");
    }))), "case-verdicts");
}

function timelineLine(page, event) {
  if (event.kind !== "item") return `${event.at} ${event.who} ${t("noteEvent")}: ${event.text}`;
  const item = page.items.find((candidate) => candidate.key === event.item);
  const what = `${item ? item.label : event.item} → ${label("statuses", event.status)}`;
  return `${event.at} ${event.who} ${what}${event.text ? ` (${event.text})` : ""}`;
}

async function showCase(name) {
  showView("case");
  const view = document.getElementById("view-case");
  const [page, notices] = await Promise.all([
    api("GET", `/api/cases/${enc(name)}?lang=${state.lang}`),
    api("GET", `/api/cases/${enc(name)}/notices?lang=${state.lang}`),
  ]);
  document.getElementById("case-name").value = name;
  const progress = page.progress;
  const events = page.events.map((event) => timelineLine(page, event));
  const logAccounts = page.log_accounts.map((a) => `${a.account} (${a.messages} ${t("messagesWord")}; ${reasonsText(a.reasons)}) — ${a.source}`);
  const cards = page.messages_stored.map((m) => messageNode(m.analysis));
  view.replaceChildren(
    el("h2", null, page.case),
    verdictOverview(page.messages_stored, cards),
    el("p", null, `${t("progress")}: `, hook(el("strong", null, `${progress.done}/${progress.total}`), "checklist-progress")),
    el("section", "panel", el("h3", null, t("checklist")),
      el("ol", "checklist", ...page.items.map((item) => checklistItem(name, item)))),
    campaignNode({ campaign: page.campaign }),
    el("section", "panel", el("h3", null, t("logAccounts")), list(logAccounts, (line) => line)),
    el("section", "panel", el("h3", null, t("notices")),
      notices.notices.length ? el("div", null, ...notices.notices.map((n) => noticeNode(name, n)))
        : el("p", "none", t("noNotices"))),
    el("section", "panel", el("h3", null, t("timeline")), list(events, (line) => line)),
    el("h3", null, t("mailsTitle")),
    ...cards);
}

function profileError(error) {
  const where = error.line ? `${error.source}:${error.line}:${error.column}: ` : "";
  return el("li", null, where + (state.lang === "ja" ? error.message_ja : error.message_en));
}

function profileSummary(profile) {
  if (!profile) return el("p");
  const company = profile.company;
  return el("div", "fields",
    field(t("company"), `${company.name} ${company.name_en ? "/ " + company.name_en : ""}`),
    field(t("domains"), company.domains.join(", ")),
    field(t("servers"), company.mail_servers.join(", ")),
    field(t("employeesWord"), String(profile.employees.length)),
    field(t("partnersWord"), profile.partners.map((p) => `${p.name} (${p.domains.join(", ")})`).join("; ")));
}

// The form: one labelled control per field; lists are textareas with one entry per line. Each
// control knows how to read its value back (`read`), so the form gives the profile as data.
function formField(label, value, list) {
  const control = document.createElement(list ? "textarea" : "input");
  if (list) control.rows = Math.max(2, value.length + 1);
  control.value = list ? value.join("\n") : value;
  control.read = () => (list ? control.value.split("\n").map((v) => v.trim()).filter(Boolean) : control.value.trim());
  return { node: el("label", "form-field", el("span", "label", label), control), control };
}

function formGroup(className, fields) {
  const controls = {};
  const node = el("div", className);
  for (const [key, label, value, listField] of fields) {
    const made = formField(label, value, listField);
    controls[key] = made.control;
    node.append(made.node);
  }
  return { node, read: () => Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.read()])) };
}

function listEditor(title, entries, fieldsOf, addLabel) {
  const groups = [];
  const rows = el("div", "entries");
  const add = (entry) => {
    const group = formGroup("entry", fieldsOf(entry));
    const remove = el("button", null, t("remove"));
    remove.type = "button";
    remove.addEventListener("click", () => { groups.splice(groups.indexOf(group), 1); group.node.remove(); });
    group.node.append(remove);
    groups.push(group);
    rows.append(group.node);
  };
  entries.forEach(add);
  const more = el("button", null, addLabel);
  more.type = "button";
  more.addEventListener("click", () => add(null));
  return { node: el("fieldset", null, el("legend", null, title), rows, more), read: () => groups.map((g) => g.read()) };
}

function profileForm(profile) {
  const company = (profile && profile.company) || { contact: {} };
  const contact = company.contact || {};
  const main = formGroup("company", [
    ["name", t("nameJa"), company.name || "", false], ["name_en", t("nameEn"), company.name_en || "", false],
    ["website", t("website"), company.website || "", false], ["domains", t("domains"), company.domains || [], true],
    ["mail_servers", t("servers"), company.mail_servers || [], true]]);
  const reach = formGroup("contact", [
    ["department", t("contactDepartment"), contact.department || "", false],
    ["phone", t("contactPhone"), contact.phone || "", false], ["email", t("contactEmail"), contact.email || "", false]]);
  const employees = listEditor(t("employeesWord"), (profile && profile.employees) || [], (e) => [
    ["names", t("names"), (e && e.names) || [], true], ["emails", t("emails"), (e && e.emails) || [], true],
    ["department", t("department"), (e && e.department) || "", false]], t("addEmployee"));
  const partners = listEditor(t("partnersWord"), (profile && profile.partners) || [], (p) => [
    ["name", t("partnerName"), (p && p.name) || "", false], ["domains", t("domains"), (p && p.domains) || [], true],
    ["contact", t("partnerContact"), (p && p.contact) || "", false]], t("addPartner"));
  state.readForm = () => ({
    company: { ...main.read(), contact: reach.read() }, employees: employees.read(), partners: partners.read(),
  });
  return el("div", null, el("fieldset", null, el("legend", null, t("company")), main.node, reach.node),
    employees.node, partners.node);
}

function showProfileAnswer(answer) {
  document.getElementById("profile-path").textContent = answer.editable ? answer.path : t("notEditable");
  document.getElementById("profile-editor").value = answer.toml;
  document.getElementById("profile-save").disabled = !answer.editable;
  document.getElementById("profile-form-save").disabled = !answer.editable;
  document.getElementById("profile-form").replaceChildren(profileForm(answer.profile));
  document.getElementById("profile-summary").replaceChildren(profileSummary(answer.profile));
  document.getElementById("profile-errors").replaceChildren(...(answer.errors || []).map(profileError));
}

async function showProfile() {
  showView("profile");
  document.getElementById("profile-message").textContent = "";
  showProfileAnswer(await api("GET", "/api/profile"));
}

// Refusals of the profile carry every error of `profile check`.
function profileRefused(error) {
  const errors = (error.body && error.body.errors) || [];
  document.getElementById("profile-errors").replaceChildren(...errors.map(profileError));
  failed(error);
}

// Saves the TOML editor's text, or (fromForm) the form's data.
async function saveProfile(fromForm) {
  document.getElementById("profile-message").textContent = "";
  try {
    showError(null);
    const answer = fromForm
      ? await api("PUT", "/api/profile", JSON.stringify(state.readForm()), { "Content-Type": "application/json" })
      : await api("PUT", "/api/profile", document.getElementById("profile-editor").value,
        { "Content-Type": "text/plain; charset=utf-8" });
    showProfileAnswer(answer);
    document.getElementById("profile-message").textContent = t("saved");
  } catch (error) {
    profileRefused(error);
  }
}

async function importUsers(file) {
  const form = new FormData();
  form.append("file", file);
  form.append("toml", new Blob([document.getElementById("profile-editor").value], { type: "text/plain" }), "profile.toml");
  try {
    showError(null);
    const answer = await api("POST", "/api/profile/import-users", form);
    document.getElementById("profile-editor").value = answer.toml;
    document.getElementById("profile-summary").replaceChildren(profileSummary(answer.profile));
    document.getElementById("profile-form").replaceChildren(profileForm(answer.profile));
    document.getElementById("profile-errors").replaceChildren(...answer.skipped.map((row) =>
      el("li", null, `${row.line}: ${row.detail} ${state.lang === "ja" ? row.reason_ja : row.reason_en}`)));
    document.getElementById("profile-message").textContent = t("imported")(answer);
  } catch (error) {
    profileRefused(error);
  }
}

async function route() {
  const hash = location.hash || "#/";
  try {
    if (hash === "#/cases") await showCases();
    else if (hash.startsWith("#/cases/")) await showCase(decodeURIComponent(hash.slice("#/cases/".length)));
    else if (hash === "#/profile") await showProfile();
    else showView("home");
  } catch (error) {
    failed(error);
  }
}

function applyLanguage(lang) {
  state.lang = lang;
  try { localStorage.setItem("emotriage.lang", lang); } catch { /* storage may be disabled */ }
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const button of document.querySelectorAll("#languages button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  showError(state.error);
}

function start() {
  let saved = null;
  try { saved = localStorage.getItem("emotriage.lang"); } catch { /* storage may be disabled */ }
  applyLanguage(saved === "en" ? "en" : "ja");
  document.getElementById("case-name").value = today();
  for (const button of document.querySelectorAll("#languages button")) {
    // Findings and summaries come from the server in one language: the view asks again.
    button.addEventListener("click", () => { applyLanguage(button.dataset.lang); route(); });
  }
  for (const button of document.querySelectorAll("#sections button")) {
    button.addEventListener("click", () => { location.hash = button.dataset.route; });
  }
  const files = document.getElementById("file-input");
  files.addEventListener("change", () => {
    const chosen = Array.from(files.files);
    if (chosen.length === 0) return;
    const form = new FormData();
    for (const file of chosen) form.append("file", file);
    uploadMails({}, form);
    files.value = "";
  });
  document.getElementById("upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pasted = document.getElementById("paste").value;
    if (pasted.trim()) uploadMails({ "Content-Type": "text/plain; charset=utf-8" }, pasted);
    else showError({ ja: TEXT.ja.nothing, en: TEXT.en.nothing });
  });
  const zone = document.getElementById("drop-zone");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const form = new FormData();
    for (const file of event.dataTransfer.files) form.append("file", file);
    uploadMails({}, form);
  });
  const logs = document.getElementById("logs-input");
  logs.addEventListener("change", () => {
    if (logs.files.length) uploadLogs(Array.from(logs.files));
    logs.value = "";
  });
  document.getElementById("profile-save").addEventListener("click", () => saveProfile(false));
  document.getElementById("profile-form-save").addEventListener("click", () => saveProfile(true));
  const csv = document.getElementById("csv-import");
  csv.addEventListener("change", () => {
    if (csv.files.length) importUsers(csv.files[0]);
    csv.value = "";
  });
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", start);
