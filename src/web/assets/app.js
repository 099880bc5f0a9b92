// emotriage web UI. Every mail-derived string reaches the page as a text node (textContent), never
// as markup nor as an attribute a browser interprets, and URLs found in mail are never links.
"use strict";

const TEXT = {
  ja: {
    tagline: "Emotet 型メールの判定と対応手順",
    drop: "メール (.eml / .msg / mbox) をここにドロップ、またはクリックして選択 (複数可)",
    pasteSummary: "メールのソースを貼り付ける",
    analyze: "判定する",
    privacy: "メールはこのコンピューターの中だけで解析され、どこにも保存・送信されません。添付ファイルは開かれず、メールの HTML は表示されません。",
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
    drop: "Drop mail (.eml / .msg / mbox) here, or click to choose (several at once)",
    pasteSummary: "Paste the source of a mail",
    analyze: "Analyse",
    privacy: "Mail is analysed on this computer only; nothing is stored or sent anywhere. Attachments are never opened and the mail's HTML is never shown.",
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

const state = { lang: "ja", csrf: "", lastRequest: null, lastResult: null };

function t(key) { return TEXT[state.lang][key]; }

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

function field(label, value) {
  return el("div", "field", el("span", "label", label), el("span", "value", value));
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
    el("span", "severity", finding.severity), " ", el("code", null, finding.id), " ", finding.message);
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
  return el("section", "step", el("h4", null, t("steps")[step]), ...content);
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

function messageNode(message) {
  const verdict = message.verdict || {};
  const card = el("article", `message ${verdict.suspicious ? "suspicious" : "clean"}`);
  // The verdict first: scenario, score, one plain sentence.
  card.append(el("div", "verdict",
    el("h3", null, t("scenarios")[verdict.scenario] || verdict.scenario || ""),
    el("p", "score", `${t("score")} ${verdict.score ?? "-"}${verdict.emotet_like ? " · " + t("emotet") : ""}`),
    el("p", "summary", verdict.summary || "")));
  if (message.analysis_failed) card.append(el("p", "warning", t("analysisFailed")));
  card.append(el("div", "fields",
    field(t("subject"), message.subject || ""), field(t("from"), address(message.from)),
    field(t("to"), (message.to || []).map(address).join(", ")), field(t("date"), message.date || "")));

  const origin = message.origin || {};
  card.append(
    stepSection(1, field(t("source"), message.source || ""), field(t("sha256"), message.sha256 || ""),
      actionList(actionsFor(message, 1)), findingsFor(message, 1)),
    stepSection(2, el("h5", null, t("attachments")),
      (message.attachments || []).length ? el("ul", null, ...message.attachments.map(attachmentNode)) : el("p", "none", t("none")),
      el("h5", null, t("urls")), list(message.urls, (url) => el("code", null, url)),
      findingsFor(message, 2)),
    stepSection(3, field(t("origin"), origin.kind || ""),
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

function render(result) {
  const results = document.getElementById("results");
  results.replaceChildren(campaignNode(result), ...(result.messages || []).map(messageNode));
}

function setStatus(text) { document.getElementById("status").textContent = text; }

async function session() {
  const response = await fetch("/api/session", { credentials: "same-origin" });
  if (!response.ok) throw new Error(await errorText(response));
  state.csrf = (await response.json()).csrf_token;
}

async function errorText(response) {
  try {
    const body = await response.json();
    return state.lang === "ja" ? body.message_ja : body.message_en;
  } catch {
    return `HTTP ${response.status}`;
  }
}

async function analyze(request) {
  state.lastRequest = request;
  setStatus(t("working"));
  try {
    if (!state.csrf) await session();
    const response = await fetch(`/api/analyze?lang=${state.lang}`, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": state.csrf, ...request.headers }, body: request.body(),
    });
    if (!response.ok) throw new Error(await errorText(response));
    state.lastResult = await response.json();
    render(state.lastResult);
    setStatus("");
  } catch (error) {
    setStatus(t("failed") + error.message);
  }
}

function requestFromForm() {
  const files = document.getElementById("file-input").files;
  if (files.length) {
    const chosen = Array.from(files);
    return { headers: {}, body: () => { const form = new FormData(); for (const f of chosen) form.append("file", f); return form; } };
  }
  const pasted = document.getElementById("paste").value;
  if (pasted.trim()) return { headers: { "Content-Type": "text/plain; charset=utf-8" }, body: () => pasted };
  return null;
}

function applyLanguage(lang) {
  state.lang = lang;
  try { localStorage.setItem("emotriage.lang", lang); } catch { /* storage may be disabled */ }
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const button of document.querySelectorAll("#languages button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  // Finding messages and summaries come from the server in one language: ask again.
  if (state.lastRequest) analyze(state.lastRequest);
}

function start() {
  let saved = null;
  try { saved = localStorage.getItem("emotriage.lang"); } catch { /* storage may be disabled */ }
  applyLanguage(saved === "en" ? "en" : "ja");
  for (const button of document.querySelectorAll("#languages button")) {
    button.addEventListener("click", () => applyLanguage(button.dataset.lang));
  }
  document.getElementById("upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const request = requestFromForm();
    if (request) analyze(request); else setStatus(t("nothing"));
  });
  const zone = document.getElementById("drop-zone");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    document.getElementById("file-input").files = event.dataTransfer.files;
    const request = requestFromForm();
    if (request) analyze(request);
  });
}

document.addEventListener("DOMContentLoaded", start);
