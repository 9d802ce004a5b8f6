// The data-entry page (submissions/detail.html), loaded by that page only. Safeguards: the submit
// confirmation, a fill progress per section, the form's rules checked as the reporter types, Enter
// that never submits, a warning before leaving unsaved edits. And edits kept through a dropped
// connection: a field whose autosave cannot reach the server is kept in localStorage with the base
// version it started from, and sent again through the same autosave (hence the same conflict rules)
// when the network returns.
//
// The page's autosave (submissions/partials/_field.html, app.js): field "v-CODE" posts to the field
// endpoint with its base version "base-CODE"; the answer goes into the status line "st-CODE" and
// carries an X-Save-Outcome header (saved, unchanged, conflict, invalid, refused).
(function () {
  "use strict";

  const form = document.getElementById("entry-form");
  if (!form || !form.dataset.submission) {
    return;
  }

  // Per user and report: a shared office computer must not send one person's edits as another's.
  const STORE_KEY = "baocao.unsent." + form.dataset.user + "." + form.dataset.submission;
  const RETRY_MS = 15000;
  const CHECK_DELAY_MS = 500;

  const fields = Array.from(form.querySelectorAll("input[name^='v__'], select[name^='v__'], textarea[name^='v__']"));
  const dialog = document.getElementById("submit-dialog");
  const notice = document.getElementById("offline-notice");
  const noticeCount = document.getElementById("offline-count");
  const onlineNotice = document.getElementById("online-notice");

  // What the server holds for each field, as far as this page knows: an edit differing from it is
  // unsaved (the warning before leaving).
  const saved = new Map();
  const startedAt = new WeakMap();
  let leaving = false;
  let netDown = false;
  let recovering = false;
  let retryTimer = null;

  function codeOf(field) {
    return field.name.slice(3);
  }

  function fieldFor(code) {
    return document.getElementById("v-" + code);
  }

  function baseInput(code) {
    return document.getElementById("base-" + code);
  }

  function normalised(text) {
    return String(text === null || text === undefined ? "" : text).replace(/\r\n/g, "\n");
  }

  for (const field of fields) {
    saved.set(codeOf(field), field.value);
  }

  // --- Edits kept in the browser -------------------------------------------------------------
  function loadQueue() {
    try {
      const queue = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}");
      return queue && typeof queue === "object" ? queue : {};
    } catch (error) {
      return {};
    }
  }

  function storeQueue(queue) {
    try {
      if (Object.keys(queue).length) {
        window.localStorage.setItem(STORE_KEY, JSON.stringify(queue));
      } else {
        window.localStorage.removeItem(STORE_KEY);
      }
    } catch (error) {
      // Storage full or refused: the page still warns before leaving.
    }
  }

  function keep(code) {
    const field = fieldFor(code);
    const base = baseInput(code);
    if (!field || !base) {
      return;
    }
    const queue = loadQueue();
    queue[code] = { value: field.value, base: base.value, at: Date.now() };
    storeQueue(queue);
  }

  // An answer for a save started after the edit was kept supersedes it.
  function forget(code, since) {
    const queue = loadQueue();
    if (queue[code] && (since === undefined || queue[code].at <= since)) {
      delete queue[code];
      storeQueue(queue);
    }
  }

  function markConflict(code) {
    const queue = loadQueue();
    if (queue[code]) {
      queue[code].conflict = true;
      storeQueue(queue);
    }
  }

  function pendingCodes() {
    const queue = loadQueue();
    return Object.keys(queue).filter(function (code) { return !queue[code].conflict; });
  }

  // A refusal said while offline ("not sent") stays in the notice until the network returns.
  let refusal = "";

  function refreshNotice(extra) {
    if (extra) {
      refusal = extra;
    } else if (!netDown) {
      refusal = "";
    }
    extra = refusal;
    const pending = pendingCodes().length;
    notice.hidden = !(extra || (netDown && pending));
    const parts = [];
    if (pending) {
      parts.push("(" + pending + " mục chưa gửi)");
    }
    if (extra) {
      parts.push(extra);
    }
    noticeCount.textContent = parts.join(" ");
    if (!pending && recovering && !netDown) {
      recovering = false;
      onlineNotice.hidden = false;
      window.setTimeout(function () { onlineNotice.hidden = true; }, 8000);
    }
  }

  function setStatus(code, text) {
    const status = document.getElementById("st-" + code);
    if (status && !status.querySelector(".conflict")) {
      const span = document.createElement("span");
      span.className = "pending";
      span.textContent = text;
      status.replaceChildren(span);
    }
  }

  function wentDown(code) {
    keep(code);
    netDown = true;
    recovering = true;
    setStatus(code, "Chưa gửi được — đã lưu tạm trên máy.");
    onlineNotice.hidden = true;
    refreshNotice();
    scheduleRetry();
  }

  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        flush();
      }, RETRY_MS);
    }
  }

  // Send every kept edit again through the field's own autosave: its base is the one the edit
  // started from, so a field someone else changed meanwhile comes back as a conflict.
  function flush() {
    if (!navigator.onLine) {
      scheduleRetry();
      return;
    }
    const queue = loadQueue();
    for (const code of Object.keys(queue)) {
      const field = fieldFor(code);
      if (field && !(queue[code].conflict && document.querySelector("#st-" + code + " .conflict"))) {
        window.htmx.trigger(field, "change");
      }
    }
  }

  // A reload (or a new visit) with kept edits: put them back into their fields, with the base
  // version they started from, and send them.
  function restore() {
    const queue = loadQueue();
    const codes = Object.keys(queue);
    if (!codes.length) {
      return;
    }
    for (const code of codes) {
      const field = fieldFor(code);
      const base = baseInput(code);
      if (!field || !base) {
        continue;
      }
      field.value = queue[code].value;
      base.value = queue[code].base;
      delete queue[code].conflict;
      setStatus(code, "Đã khôi phục nội dung lưu tạm trên máy, chưa gửi.");
    }
    storeQueue(queue);
    recovering = true;
    for (const section of form.querySelectorAll(".entry-section")) {
      updateProgress(section);
    }
    scheduleCheck();
    if (navigator.onLine) {
      flush();
    } else {
      netDown = true;
      refreshNotice();
      scheduleRetry();
    }
  }

  function saveCode(event) {
    const config = event.detail.requestConfig;
    if (!config || !config.formData || !/\/field\/$/.test(config.path || "")) {
      return null;
    }
    return config.formData.get("field");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const code = saveCode(event);
    if (code === null || event.defaultPrevented) {
      return;
    }
    if (!navigator.onLine) {
      event.preventDefault();
      wentDown(code);
      return;
    }
    startedAt.set(event.detail.xhr, Date.now());
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const code = saveCode(event);
    if (code === null) {
      return;
    }
    const xhr = event.detail.xhr;
    const outcome = xhr && xhr.status ? xhr.getResponseHeader("X-Save-Outcome") : null;
    if (!outcome) {
      // No answer from the application: the network (or a proxy on the way) failed.
      if (!xhr || !xhr.status || xhr.status >= 500) {
        wentDown(code);
      }
      return;
    }
    const since = startedAt.get(xhr);
    if (outcome === "saved" || outcome === "unchanged") {
      saved.set(code, normalised(event.detail.requestConfig.formData.get("v__" + code)));
      forget(code, since);
    } else if (outcome === "invalid") {
      forget(code, since);
    } else if (outcome === "conflict") {
      markConflict(code);
    }
    netDown = false;
    refreshNotice();
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    netDown = true;
    refreshNotice();
  });
  document.getElementById("offline-retry").addEventListener("click", flush);

  // "Dùng nội dung của người kia" (app.js puts their text into the field first): the edit is settled.
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest("button[data-use-theirs]") : null;
    if (button) {
      const code = button.dataset.useTheirs;
      saved.set(code, button.dataset.theirs);
      forget(code);
      refreshNotice();
    }
  });

  // The section menu of the action bar closes once a section is chosen.
  const jump = document.getElementById("section-jump");
  if (jump) {
    jump.addEventListener("click", function (event) {
      if (event.target instanceof Element && event.target.closest("a")) {
        jump.open = false;
      }
    });
  }

  // --- Fill progress per section -------------------------------------------------------------
  function updateProgress(section) {
    let filled = 0;
    let total = 0;
    let textsFilled = 0;
    let textsTotal = 0;
    for (const box of section.querySelectorAll(".field[data-field]")) {
      const field = fieldFor(box.dataset.field);
      const isFilled = field && "value" in field ? String(field.value).trim() !== "" : false;
      if (box.dataset.kind === "narrative") {
        textsTotal += 1;
        textsFilled += isFilled ? 1 : 0;
      } else {
        total += 1;
        filled += isFilled ? 1 : 0;
      }
    }
    const parts = [];
    if (total) {
      parts.push(filled + "/" + total + " chỉ tiêu");
    }
    if (textsTotal) {
      parts.push(textsFilled + "/" + textsTotal + " nội dung");
    }
    const text = parts.join(" · ");
    for (const element of document.querySelectorAll("[data-progress='" + section.dataset.section + "']")) {
      element.textContent = text;
    }
  }

  // --- The form's rules on the values typed, beside the fields they concern ----------------------
  let checkTimer = null;
  let checkSeq = 0;

  function scheduleCheck() {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(runCheck, CHECK_DELAY_MS);
  }

  function runCheck() {
    if (!navigator.onLine) {
      return;
    }
    checkSeq += 1;
    const seq = checkSeq;
    window.fetch(form.dataset.checkUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && seq === checkSeq) {
          showRules(data.issues || []);
        }
      })
      .catch(function () { /* offline: the last warnings stay */ });
  }

  function ruleItem(issue) {
    const item = document.createElement("li");
    item.className = "rule rule-" + issue.severity;
    item.append(issue.label + ": " + issue.message + " ");
    const names = document.createElement("span");
    names.className = "small";
    names.textContent = "(" + issue.names.join(", ") + ")";
    item.append(names);
    return item;
  }

  function showRules(issues) {
    const byField = new Map();
    for (const issue of issues) {
      for (const code of issue.indicators) {
        if (!byField.has(code)) {
          byField.set(code, []);
        }
        byField.get(code).push(issue);
      }
    }
    for (const list of form.querySelectorAll("ul.field-rules")) {
      const items = (byField.get(list.id.slice("rules-".length)) || []).map(ruleItem);
      const text = items.map(function (item) { return item.textContent; }).join("\n");
      const shown = Array.from(list.children).map(function (item) { return item.textContent; }).join("\n");
      if (text !== shown) {
        list.replaceChildren.apply(list, items);
      }
    }
  }

  form.addEventListener("input", function (event) {
    const section = event.target instanceof Element ? event.target.closest(".entry-section") : null;
    if (section) {
      updateProgress(section);
    }
    scheduleCheck();
  });
  form.addEventListener("change", function (event) {
    const section = event.target instanceof Element ? event.target.closest(".entry-section") : null;
    if (section) {
      updateProgress(section);
    }
    scheduleCheck();
  });

  // --- Enter moves to the next field; it never submits (a textarea keeps its new lines) ----------
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) {
      return;
    }
    const target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) {
      return;
    }
    if (["submit", "button", "reset", "file", "checkbox", "radio"].includes(target.type)) {
      return;
    }
    event.preventDefault();
    const next = fields[fields.indexOf(target) + 1];
    if (next) {
      next.focus();
    }
  });

  // --- Sending: the confirmation first; nothing leaves while the network is down -----------------
  function openConfirm() {
    if (!navigator.onLine) {
      netDown = true;
      refreshNotice("Chưa gửi được báo cáo khi mất kết nối.");
      return;
    }
    window.fetch(form.dataset.confirmUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        if (response.status >= 500) {
          throw new Error("server");
        }
        return response.text();
      })
      .then(function (html) {
        dialog.innerHTML = html;
        dialog.showModal();
        const first = dialog.querySelector("#confirm-submit") || dialog.querySelector("#confirm-back");
        if (first) {
          first.focus();
        }
      })
      .catch(function () {
        netDown = true;
        refreshNotice("Chưa gửi được báo cáo khi mất kết nối.");
      });
  }

  dialog.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target.closest("[data-close-dialog], [data-goto-field]") : null;
    if (!target) {
      return;
    }
    event.preventDefault();
    dialog.close();
    const code = target.dataset.gotoField;
    if (code) {
      const box = document.getElementById("field-" + code);
      const field = fieldFor(code);
      if (box) {
        box.scrollIntoView({ block: "center" });
      }
      if (field) {
        field.focus({ preventScroll: true });
      }
    } else {
      document.getElementById("submit-btn").focus();
    }
  });

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.id === "submit-btn") {
      event.preventDefault();
      openConfirm();
      return;
    }
    if (!navigator.onLine) {
      event.preventDefault();
      for (const field of fields) {
        if (normalised(field.value) !== normalised(saved.get(codeOf(field)))) {
          keep(codeOf(field));
        }
      }
      netDown = true;
      recovering = true;
      refreshNotice();
      scheduleRetry();
      return;
    }
    leaving = true;
  });

  // --- Leaving with unsaved edits --------------------------------------------------------------
  window.addEventListener("beforeunload", function (event) {
    if (leaving) {
      return;
    }
    const unsaved = fields.some(function (field) {
      return normalised(field.value) !== normalised(saved.get(codeOf(field)));
    });
    if (unsaved || Object.keys(loadQueue()).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // After htmx has processed the page (its own DOMContentLoaded listener runs first).
    window.setTimeout(restore, 0);
  });
})();
