// plancheck serve: sends a plan to the server on this machine and shows each finding on its line.
// Plan text reaches the page only through textContent and text nodes, never as HTML: a plan
// containing <script> is shown as the text it is. Every text the page shows is the catalogue's
// (web_* messages, GET /api/messages), in the language of the 日本語 / English switch.
"use strict";

(function () {
  const SEVERITIES = ["error", "warning", "info"];
  const RANK = { error: 3, warning: 2, info: 1 };
  const LANGUAGES = ["ja", "en"];
  const STORED_LANG = "plancheck-lang";
  const NOT_A_PLAN = "PC001"; // the page offers the choice of format beside it
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const maxUpload = Number(meta("plancheck-max-upload"));
  const byId = (id) => document.getElementById(id);

  let lang = document.documentElement.lang; // the language of `texts`
  let texts = JSON.parse(meta("plancheck-texts")); // the server's language until one is chosen
  let summaries = new Map(); // rule code → its summary in `lang`
  let profiles = []; // [{name, title, description}] in `lang`
  let profile = ""; // the format chosen on the page, "" to detect it
  let lastInput = null; // {file} or {text}: sent again for the downloads, a format, a language
  let view = null; // the answer of /api/document
  let fixes = null; // the answer of /api/fix while the fixes are shown
  const versions = { old: null, new: null }; // the files chosen in 「変更の比較」
  let comparison = null; // the answer of /api/compare

  // --- texts --------------------------------------------------------------------------------

  function t(name, values = {}) {
    const text = texts[name] || name;
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  function chosenLanguage() {
    try {
      const stored = localStorage.getItem(STORED_LANG);
      if (LANGUAGES.includes(stored)) return stored;
    } catch (error) {
      // storage refused (private mode): the browser's language then
    }
    const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (const tag of wanted) {
      const base = String(tag || "").toLowerCase().split("-")[0];
      if (LANGUAGES.includes(base)) return base;
    }
    return "ja";
  }

  function query(params) {
    const search = new URLSearchParams({ lang, ...params });
    if (!profile) search.delete("profile");
    return `?${search}`;
  }

  // The page's texts, the rules' summaries and the formats' titles in `wanted`, then shown.
  async function setLanguage(wanted) {
    const [answer, rules, formats] = await Promise.all([
      wanted === lang ? { messages: texts } : fetchFor(wanted, "/api/messages"),
      fetchFor(wanted, "/api/rules"),
      fetchFor(wanted, "/api/profiles"),
    ]);
    if (!answer) {
      showError(t("web_offline"));
      return false;
    }
    texts = answer.messages;
    lang = wanted;
    summaries = new Map((rules || []).map((rule) => [rule.code, rule.summary]));
    profiles = formats || profiles;
    applyTexts();
    return true;
  }

  async function fetchFor(wanted, path) {
    try {
      const response = await fetch(`${path}?lang=${wanted}`);
      return response.ok ? await response.json() : null;
    } catch (error) {
      return null;
    }
  }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = t(node.dataset.text); });
    document.querySelectorAll("[data-label]").forEach((node) => {
      node.setAttribute("aria-label", t(node.dataset.label));
    });
    document.querySelectorAll("#languages button").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    });
    fillProfiles(byId("profile"), t("web_profile_auto"));
    if (view) render();
    if (comparison) renderComparison();
  }

  function fillProfiles(select, first) {
    select.replaceChildren(element("option", "", first));
    select.firstChild.value = "";
    profiles.forEach((format) => {
      const option = element("option", "", format.title);
      option.value = format.name;
      option.title = format.description;
      select.appendChild(option);
    });
    select.value = profile;
  }

  // --- talking to the server ----------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showError(text) {
    byId("message").textContent = text;
    byId("message").hidden = false;
  }

  function setStatus(text, busy = false) {
    byId("status").textContent = text;
    document.querySelectorAll("#input button, #compare button, #tabs button, .downloads button, #languages button, select, #fixes button, #fixes input, #fix-result button").forEach((control) => {
      control.disabled = busy;
    });
  }

  function post(input, path, params = {}) {
    const options = { method: "POST" };
    if (input.file) {
      options.body = new FormData();
      options.body.append("file", input.file, input.file.name);
    } else {
      options.body = input.text;
      options.headers = { "Content-Type": "text/plain; charset=utf-8" };
    }
    return fetch(path + query({ ...params, profile }), options);
  }

  async function errorText(response) {
    const body = await response.json().catch(() => ({}));
    return body.error || t("web_http_error", { status: response.status });
  }

  async function check(input) {
    byId("message").hidden = true;
    const name = input.file ? input.file.name : t("web_pasted");
    if (input.file && input.file.size > maxUpload) {
      const megabytes = Number((maxUpload / 1024 / 1024).toFixed(1));
      showError(t("web_file_too_big", { name, megabytes }));
      return;
    }
    setStatus(t("web_checking", { name }), true);
    try {
      const response = await post(input, "/api/document");
      if (!response.ok) {
        showError(await errorText(response));
        setStatus("");
        return;
      }
      view = await response.json();
      const reviewFixes = Boolean(fixes) && lastInput === input; // a language or format change
      lastInput = input;
      hideFixes();
      render();
      setStatus(t("web_checked", { name, count: view.findings.length }));
      if (reviewFixes) previewFixes();
    } catch (error) {
      showError(t("web_offline"));
      setStatus("");
    }
  }

  function checkNew(input) {
    profile = ""; // another plan: its format is detected again
    byId("profile").value = "";
    check(input);
  }

  function checkWithProfile(name) {
    profile = name;
    byId("profile").value = name;
    if (lastInput) check(lastInput);
  }

  async function download(format) {
    if (!lastInput) return;
    try {
      const response = await post(lastInput, "/api/check", { format });
      if (!response.ok) {
        showError(await errorText(response));
        return;
      }
      const stem = view.path === "-" ? "plan" : view.path.replace(/\.[^.]*$/, "");
      save(await response.blob(), `${stem}.plancheck.${format}`);
    } catch (error) {
      showError(t("web_offline"));
    }
  }

  function save(blob, name) {
    const link = element("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  }

  // --- fixes: what `plancheck check --fix` would change, shown as a diff, then downloaded -------

  function fixParams(extra = {}) {
    return { unsafe: String(byId("fix-unsafe").checked), ...extra };
  }

  async function previewFixes() {
    if (!lastInput) return;
    byId("message").hidden = true;
    const name = lastInput.file ? lastInput.file.name : t("web_pasted");
    setStatus(t("web_fixing", { name }), true);
    try {
      const response = await post(lastInput, "/api/fix", fixParams());
      setStatus("");
      if (!response.ok) {
        showError(await errorText(response));
        return;
      }
      fixes = await response.json();
      renderFixes();
    } catch (error) {
      setStatus("");
      showError(t("web_offline"));
    }
  }

  async function downloadFixed() {
    if (!lastInput || !fixes) return;
    try {
      const response = await post(lastInput, "/api/fix", fixParams({ download: "true" }));
      if (!response.ok) {
        showError(await errorText(response));
        return;
      }
      // the plan's own name: the author replaces their file with the corrected one
      save(await response.blob(), view.path === "-" ? "plan.txt" : view.path);
    } catch (error) {
      showError(t("web_offline"));
    }
  }

  function hideFixes() {
    fixes = null;
    byId("fix-result").hidden = true;
  }

  function renderFixes() {
    if (!fixes) return;
    const refused = byId("fix-refused");
    refused.hidden = !fixes.refused;
    refused.textContent = fixes.refused || "";
    byId("fix-summary").textContent = fixes.refused
      ? ""
      : fixes.applied
        ? t("web_fix_summary", { applied: fixes.applied, left: fixes.findings_left })
        : t("web_fix_nothing");
    const skipped = byId("fix-skipped");
    skipped.replaceChildren();
    if (fixes.skipped.length && !fixes.refused) {
      skipped.appendChild(element("p", "", t("web_fix_skipped", { count: fixes.skipped.length })));
      const list = element("ul");
      fixes.skipped.forEach((item) => list.appendChild(element("li", "", t("web_fix_skipped_item", item))));
      skipped.appendChild(list);
    }
    // the diff is text: each line a text node in its own span, coloured by its first character
    const diff = byId("fix-diff");
    diff.replaceChildren();
    fixes.diff.split("\n").filter((line, index, lines) => line || index < lines.length - 1).forEach((line) => {
      const kind = line.startsWith("@@") ? "hunk" : line.startsWith("+") && !line.startsWith("+++")
        ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : "";
      diff.appendChild(element("span", kind, line));
    });
    byId("fix-download").hidden = !fixes.changed || Boolean(fixes.refused);
    byId("fix-result").hidden = false;
  }

  // --- the result ---------------------------------------------------------------------------

  function shownSeverities() {
    const checked = document.querySelectorAll("#filters input:checked");
    return new Set(Array.from(checked, (box) => box.value));
  }

  function visibleFindings() {
    const shown = shownSeverities();
    return view.findings.filter((finding) => shown.has(finding.severity));
  }

  function lastLine(finding) {
    return Math.max(finding.line, finding.end_line);
  }

  function worst(findings) {
    return findings.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a)).severity;
  }

  function render() {
    const counts = { error: 0, warning: 0, info: 0 };
    view.findings.forEach((finding, index) => {
      counts[finding.severity] += 1;
      finding.where = (view.places && view.places[index]) || "";
    });
    document.querySelectorAll("[data-count]").forEach((span) => {
      span.textContent = `(${counts[span.dataset.count]})`;
    });
    const missing = view.headings.filter((heading) => heading.line === null && heading.required);
    byId("summary").textContent = t("web_summary", {
      name: view.path === "-" ? t("web_pasted") : view.path,
      profile: view.profile ? t("web_summary_profile", { title: view.profile_title }) : t("web_summary_no_profile"),
      gaps: missing.length ? t("web_summary_gaps", { count: missing.length }) : "",
    });
    byId("result").hidden = false;
    const fixable = view.findings.filter((finding) => finding.fix).length;
    byId("fixes").hidden = !fixable;
    byId("fix-count").textContent = t("web_fix_count", { count: fixable });
    renderFixes();
    renderFindings();
    renderDocument();
    renderOutline();
  }

  function renderFindings() {
    const box = byId("findings");
    box.replaceChildren();
    const findings = visibleFindings();
    if (!view.findings.length) box.appendChild(element("p", "empty", t("web_no_findings")));
    else if (!shownSeverities().size) box.appendChild(element("p", "empty", t("web_choose_severity")));
    else if (!findings.length) box.appendChild(element("p", "empty", t("web_none_of_severity")));
    SEVERITIES.forEach((severity) => {
      const group = findings.filter((finding) => finding.severity === severity);
      if (!group.length) return;
      box.appendChild(element("h2", severity, t("web_group", { severity: t(`web_${severity}`), count: group.length })));
      const list = element("ol");
      group.forEach((finding) => {
        const button = element("button", `finding ${severity}`);
        button.type = "button";
        button.dataset.line = finding.line;
        button.dataset.code = finding.code;
        const where = t("web_line", { line: finding.line }) + (finding.where ? ` ${finding.where}` : "");
        const rule = element("span", "rule", summaries.get(finding.code) || finding.rule);
        rule.title = finding.rule;
        button.append(element("span", "where", where), element("code", "", finding.code));
        if (finding.fix) button.appendChild(fixableBadge(finding.fix));
        button.append(rule, element("span", "text", finding.message));
        button.addEventListener("click", () => focusLine(finding.line, button));
        const item = element("li");
        item.appendChild(button);
        if (finding.code === NOT_A_PLAN && profiles.length) item.appendChild(profileChoice());
        list.appendChild(item);
      });
      box.appendChild(list);
    });
  }

  // 修正可: `plancheck check --fix` can correct it (a fix that needs review, with --unsafe-fixes)
  function fixableBadge(fix) {
    const safe = fix.applicability === "safe";
    const badge = element("span", `fixable ${fix.applicability}`, t(safe ? "web_fixable" : "web_fixable_unsafe"));
    badge.title = t(safe ? "web_fixable_safe_title" : "web_fixable_unsafe_title");
    return badge;
  }

  // PC001: the plan matched no format; the user picks one and the plan is checked against it.
  function profileChoice() {
    const label = element("label", "choose-profile", t("web_choose_profile"));
    const select = element("select");
    fillProfiles(select, t("web_choose_profile_prompt"));
    select.addEventListener("change", () => { if (select.value) checkWithProfile(select.value); });
    label.appendChild(select);
    return label;
  }

  function renderDocument() {
    const byLine = new Map();
    visibleFindings().forEach((finding) => {
      for (let number = finding.line; number <= lastLine(finding); number += 1) {
        if (!byLine.has(number)) byLine.set(number, []);
        byLine.get(number).push(finding);
      }
    });
    const rows = document.createDocumentFragment();
    view.lines.forEach((text, index) => {
      const number = index + 1;
      const row = element("div", "line");
      row.id = `L${number}`;
      row.appendChild(element("span", "ln", String(number)));
      const hits = byLine.get(number) || [];
      row.appendChild(markedText(text, number, hits));
      if (hits.length) row.classList.add(worst(hits));
      hits.filter((finding) => finding.line === number).forEach((finding) => {
        const note = element("div", `note ${finding.severity}`);
        note.append(element("code", "", finding.code), finding.message);
        row.appendChild(note);
      });
      rows.appendChild(row);
    });
    byId("document").replaceChildren(rows);
  }

  // The finding's columns count code points (as Python does), hence Array.from, not indexes.
  function markedText(text, number, hits) {
    const chars = Array.from(text);
    const ranks = new Array(chars.length).fill(0);
    hits.forEach((finding) => {
      const start = number === finding.line ? finding.column - 1 : 0;
      const end = number === lastLine(finding) ? finding.end_column - 1 : chars.length;
      for (let k = Math.max(start, 0); k < Math.min(end, chars.length); k += 1) {
        ranks[k] = Math.max(ranks[k], RANK[finding.severity]);
      }
    });
    const container = element("span", "text");
    for (let k = 0; k < chars.length;) {
      let next = k;
      while (next < chars.length && ranks[next] === ranks[k]) next += 1;
      const piece = chars.slice(k, next).join("");
      container.appendChild(
        ranks[k] ? element("mark", SEVERITIES[3 - ranks[k]], piece) : document.createTextNode(piece),
      );
      k = next;
    }
    return container;
  }

  function renderOutline() {
    const box = byId("outline");
    box.replaceChildren(element("h2", "", t("web_outline")));
    const about = view.profile ? view.profile_description || view.profile_title : t("web_outline_unknown");
    box.appendChild(element("p", "profile", about));
    if (!view.headings.length) box.appendChild(element("p", "empty", t("web_no_sections")));
    const list = element("ol");
    view.headings.forEach((heading) => {
      const item = element("li", heading.kind);
      const label = `${heading.number} ${heading.title}`;
      if (heading.line === null) {
        item.classList.add("missing");
        if (!heading.required) item.classList.add("optional");
        const note = heading.required ? t("web_heading_missing") : t("web_heading_optional");
        item.append(element("span", "mark", "✗"), label, note);
      } else {
        const button = element("button");
        button.type = "button";
        button.append(element("span", "mark", "✓"), label + t("web_heading_at", { line: heading.line }));
        button.addEventListener("click", () => focusLine(heading.line));
        item.appendChild(button);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function focusLine(number, button) {
    const row = byId(`L${number}`);
    if (!row) return;
    document.querySelectorAll(".line.current").forEach((other) => other.classList.remove("current"));
    document.querySelectorAll(".finding[aria-current]").forEach((other) => other.removeAttribute("aria-current"));
    void row.offsetWidth; // restart the flash when the same line is chosen again
    row.classList.add("current");
    if (button) button.setAttribute("aria-current", "true");
    // scroll the document pane only (scrollIntoView would move the whole page as well)
    const pane = byId("document");
    pane.scrollTop = row.offsetTop - (pane.clientHeight - row.offsetHeight) / 2;
    pane.scrollIntoView({ block: "nearest" });
  }

  // --- 「変更の比較」: two versions, each changed part side by side (変更後 | 変更前) ----------------

  function showView(name) {
    document.body.dataset.view = name;
    document.querySelectorAll("#tabs button").forEach((tab) => {
      tab.setAttribute("aria-selected", String(tab.dataset.view === name));
    });
    byId("message").hidden = true;
  }

  function chooseVersion(side, file) {
    versions[side] = file;
    const label = byId(`compare-${side}-name`);
    delete label.dataset.text; // the file's name, not a catalogue text, from now on
    label.textContent = file.name;
  }

  function postVersions(params = {}) {
    const body = new FormData();
    body.append("old", versions.old, versions.old.name);
    body.append("new", versions.new, versions.new.name);
    return fetch("/api/compare" + query({ ...params, profile }), { method: "POST", body });
  }

  async function compareVersions() {
    byId("message").hidden = true;
    if (!versions.old || !versions.new) {
      showError(t("web_compare_choose_both"));
      return;
    }
    const large = [versions.old, versions.new].find((file) => file.size > maxUpload);
    if (large) {
      const megabytes = Number((maxUpload / 1024 / 1024).toFixed(1));
      showError(t("web_file_too_big", { name: large.name, megabytes }));
      return;
    }
    setStatus(t("web_comparing", { old: versions.old.name, new: versions.new.name }), true);
    try {
      const response = await postVersions();
      if (!response.ok) {
        showError(await errorText(response));
        setStatus("");
        return;
      }
      comparison = await response.json();
      renderComparison();
      setStatus(t("web_compared", { count: comparison.parts.length }));
    } catch (error) {
      showError(t("web_offline"));
      setStatus("");
    }
  }

  async function downloadComparison(format) {
    if (!comparison) return;
    try {
      const response = await postVersions({ format });
      if (!response.ok) {
        showError(await errorText(response));
        return;
      }
      const stem = comparison.new.path.replace(/\.[^.]*$/, "");
      save(await response.blob(), `${stem}.diff.${format}`);
    } catch (error) {
      showError(t("web_offline"));
    }
  }

  // A part's new and old text as runs [text, marked]: the inserted runs on the new side, the
  // deleted ones on the old side; an added part is all inserted, a removed one all deleted.
  function sides(part) {
    if (part.words && part.words.length) {
      return [
        part.words.filter(([op, text]) => op !== "-" && text).map(([op, text]) => [text, op === "+"]),
        part.words.filter(([op, text]) => op !== "+" && text).map(([op, text]) => [text, op === "-"]),
      ];
    }
    const whole = part.status !== "changed" || part.old !== part.new;
    return [part.new ? [[part.new, whole]] : [], part.old ? [[part.old, whole]] : []];
  }

  function runsCell(runs, tag, className) {
    const cell = element("td", className);
    runs.forEach(([text, marked]) => {
      cell.appendChild(marked ? element(tag, "", text) : document.createTextNode(text));
    });
    return cell;
  }

  function renderComparison() {
    const parts = comparison.parts;
    byId("compare-summary").textContent = comparison.changed
      ? t("web_compared", { count: parts.length })
      : t("web_compare_no_changes");
    const findings = byId("compare-findings");
    findings.replaceChildren();
    if (comparison.new_findings.length) {
      findings.appendChild(element("p", "", t("web_compare_new_findings", { count: comparison.new_findings.length })));
      const list = element("ul");
      comparison.new_findings.forEach((finding) => {
        const item = element("li", finding.severity);
        item.append(element("code", "", finding.code), ` ${finding.line}:${finding.column} `, finding.message);
        list.appendChild(item);
      });
      findings.appendChild(list);
    }
    const rows = document.createDocumentFragment();
    parts.forEach((part) => {
      const head = element("tr", "heading");
      const title = element("th");
      title.colSpan = 2;
      title.append(element("span", `part-status ${part.status}`, t(`web_compare_status_${part.status}`)), part.heading);
      head.appendChild(title);
      const [newRuns, oldRuns] = sides(part);
      const row = element("tr", `part ${part.status}`);
      row.append(runsCell(newRuns, "ins", "new"), runsCell(oldRuns, "del", "old"));
      rows.append(head, row);
    });
    byId("compare-parts").tBodies[0].replaceChildren(rows);
    byId("compare-parts").hidden = !parts.length;
    byId("compare-result").hidden = false;
  }

  // --- controls -----------------------------------------------------------------------------

  byId("languages").addEventListener("click", async (event) => {
    const wanted = event.target.dataset && event.target.dataset.lang;
    if (!LANGUAGES.includes(wanted) || wanted === lang) return;
    try {
      localStorage.setItem(STORED_LANG, wanted);
    } catch (error) {
      // not remembered; the page still switches
    }
    byId("message").hidden = true;
    // the findings' messages come from the server: the plan is checked again in `lang`
    if (!(await setLanguage(wanted))) return;
    if (lastInput) check(lastInput);
    if (comparison) compareVersions(); // the new findings' messages are the server's too
  });
  byId("file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = ""; // choosing the same file again checks it again
    if (file) checkNew({ file });
  });
  byId("check-text").addEventListener("click", () => {
    const text = byId("text").value;
    if (!text.trim()) showError(t("web_paste_first"));
    else checkNew({ text });
  });
  byId("profile").addEventListener("change", (event) => checkWithProfile(event.target.value));
  byId("filters").addEventListener("change", () => {
    if (!view) return;
    renderFindings();
    renderDocument();
  });
  byId("download-csv").addEventListener("click", () => download("csv"));
  byId("download-xlsx").addEventListener("click", () => download("xlsx"));
  byId("download-html").addEventListener("click", () => download("html"));
  byId("fix-preview").addEventListener("click", previewFixes);
  byId("fix-unsafe").addEventListener("change", () => { if (fixes) previewFixes(); });
  byId("fix-download").addEventListener("click", downloadFixed);
  byId("fix-close").addEventListener("click", hideFixes);
  byId("tabs").addEventListener("click", (event) => {
    const tab = event.target.closest("button[data-view]");
    if (tab) showView(tab.dataset.view);
  });
  ["old", "new"].forEach((side) => {
    byId(`compare-${side}`).addEventListener("change", (event) => {
      const file = event.target.files[0];
      event.target.value = ""; // choosing the same file again is noticed
      if (file) chooseVersion(side, file);
    });
  });
  byId("compare-run").addEventListener("click", compareVersions);
  byId("compare-docx").addEventListener("click", () => downloadComparison("docx"));
  byId("compare-html").addEventListener("click", () => downloadComparison("html"));

  // A file dropped anywhere is checked; without this the browser would open it instead.
  const drop = byId("drop");
  drop.addEventListener("dragover", () => drop.classList.add("over"));
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (document.body.dataset.view === "compare") return; // the versions are chosen one by one
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) checkNew({ file });
  });

  setLanguage(chosenLanguage());
})();
