// plancheck serve: sends a plan to the server on this machine and shows each finding on its line.
// Plan text reaches the page only through textContent and text nodes, never as HTML: a plan
// containing <script> is shown as the text it is.
"use strict";

(function () {
  const SEVERITIES = ["error", "warning", "info"];
  const LABELS = { error: "エラー", warning: "警告", info: "情報" };
  const RANK = { error: 3, warning: 2, info: 1 };
  const OFFLINE = "plancheck に接続できません。plancheck serve を起動した画面が開いたままか確認してください。";
  const maxUpload = Number(document.querySelector('meta[name="plancheck-max-upload"]').content);
  const byId = (id) => document.getElementById(id);

  let lastInput = null; // {file} or {text}: sent again for the downloads
  let view = null; // the answer of /api/document

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
    document.querySelectorAll("#input button, .downloads button").forEach((button) => {
      button.disabled = busy;
    });
  }

  function post(input, path) {
    const options = { method: "POST" };
    if (input.file) {
      options.body = new FormData();
      options.body.append("file", input.file, input.file.name);
    } else {
      options.body = input.text;
      options.headers = { "Content-Type": "text/plain; charset=utf-8" };
    }
    return fetch(path, options);
  }

  async function errorText(response) {
    const body = await response.json().catch(() => ({}));
    return body.error || `エラーが発生しました（HTTP ${response.status}）。`;
  }

  async function check(input) {
    byId("message").hidden = true;
    const name = input.file ? input.file.name : "貼り付けた本文";
    if (input.file && input.file.size > maxUpload) {
      const limit = Number((maxUpload / 1024 / 1024).toFixed(1));
      showError(`「${name}」は大きすぎます。アップロードできるのは ${limit} MB までです。`);
      return;
    }
    setStatus(`「${name}」をチェックしています…`, true);
    try {
      const response = await post(input, "/api/document");
      if (!response.ok) {
        showError(await errorText(response));
        setStatus("");
        return;
      }
      view = await response.json();
      lastInput = input;
      render();
      setStatus(`「${name}」をチェックしました: ${view.findings.length} 件の指摘。`);
    } catch (error) {
      showError(OFFLINE);
      setStatus("");
    }
  }

  async function download(format) {
    if (!lastInput) return;
    try {
      const response = await post(lastInput, `/api/check?format=${format}`);
      if (!response.ok) {
        showError(await errorText(response));
        return;
      }
      const link = element("a");
      link.href = URL.createObjectURL(await response.blob());
      const stem = view.path === "-" ? "plan" : view.path.replace(/\.[^.]*$/, "");
      link.download = `${stem}.plancheck.${format}`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    } catch (error) {
      showError(OFFLINE);
    }
  }

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

  function place(finding) {
    const parts = [];
    if (finding.page) parts.push(`${finding.page}ページ`);
    if (finding.table && finding.row) parts.push(`表${finding.table} 行${finding.row}`);
    else if (finding.paragraph) parts.push(`段落 ${finding.paragraph}`);
    return parts.length ? ` (${parts.join(" ")})` : "";
  }

  function render() {
    const counts = { error: 0, warning: 0, info: 0 };
    view.findings.forEach((finding) => { counts[finding.severity] += 1; });
    document.querySelectorAll("[data-count]").forEach((span) => {
      span.textContent = `(${counts[span.dataset.count]})`;
    });
    const missing = view.headings.filter((heading) => heading.line === null && heading.required);
    const name = view.path === "-" ? "貼り付けた本文" : view.path;
    const profile = view.profile ? `様式 ${view.profile}` : "様式を判定できません";
    const gaps = missing.length ? `: 不足している節・項目 ${missing.length}` : "";
    byId("summary").textContent = `${name}（${profile}）${gaps}`;
    byId("result").hidden = false;
    renderFindings();
    renderDocument();
    renderOutline();
  }

  function renderFindings() {
    const box = byId("findings");
    box.replaceChildren();
    const findings = visibleFindings();
    if (!view.findings.length) box.appendChild(element("p", "empty", "指摘はありません。"));
    else if (!findings.length) box.appendChild(element("p", "empty", "表示する重大度を選んでください。"));
    SEVERITIES.forEach((severity) => {
      const group = findings.filter((finding) => finding.severity === severity);
      if (!group.length) return;
      box.appendChild(element("h2", severity, `${LABELS[severity]}（${group.length}）`));
      const list = element("ol");
      group.forEach((finding) => {
        const button = element("button", `finding ${severity}`);
        button.type = "button";
        button.dataset.line = finding.line;
        button.dataset.code = finding.code;
        button.append(
          element("span", "where", `${finding.line}行${place(finding)}`),
          element("code", "", finding.code),
          element("span", "rule", finding.rule),
          element("span", "text", finding.message),
        );
        button.addEventListener("click", () => focusLine(finding.line, button));
        const item = element("li");
        item.appendChild(button);
        list.appendChild(item);
      });
      box.appendChild(list);
    });
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
    box.replaceChildren(element("h2", "", "様式の節・項目"));
    box.appendChild(
      element(
        "p",
        "profile",
        view.profile ? view.profile_description || view.profile : "様式を判定できないため、見つかった節を示します。",
      ),
    );
    if (!view.headings.length) box.appendChild(element("p", "empty", "節が見つかりません。"));
    const list = element("ol");
    view.headings.forEach((heading) => {
      const item = element("li", heading.kind);
      const label = `${heading.number} ${heading.title}`;
      if (heading.line === null) {
        item.classList.add("missing");
        if (!heading.required) item.classList.add("optional");
        item.append(element("span", "mark", "✗"), label, heading.required ? "（見つかりません）" : "（任意・なし）");
      } else {
        const button = element("button");
        button.type = "button";
        button.append(element("span", "mark", "✓"), `${label}（${heading.line}行）`);
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

  byId("file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = ""; // choosing the same file again checks it again
    if (file) check({ file });
  });
  byId("check-text").addEventListener("click", () => {
    const text = byId("text").value;
    if (!text.trim()) showError("本文を貼り付けてから押してください。");
    else check({ text });
  });
  byId("filters").addEventListener("change", () => {
    if (!view) return;
    renderFindings();
    renderDocument();
  });
  byId("download-csv").addEventListener("click", () => download("csv"));
  byId("download-html").addEventListener("click", () => download("html"));

  // A file dropped anywhere is checked; without this the browser would open it instead.
  const drop = byId("drop");
  drop.addEventListener("dragover", () => drop.classList.add("over"));
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) check({ file });
  });
})();
