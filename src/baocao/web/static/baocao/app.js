// The pages' own behaviour, in a file rather than in on… attributes: the Content-Security-Policy
// runs no inline script. Delegated from the document, so it also works in fragments htmx swaps in.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) {
      return;
    }

    // The menu button under 600 px (base.html): opens and closes the menu.
    const toggle = target.closest("button.menu-toggle");
    if (toggle) {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.closest(".topbar").classList.toggle("menu-open", open);
      return;
    }

    // "Quay lại trang trước" of the error pages.
    if (target.closest("button[data-history-back]")) {
      window.history.back();
      return;
    }

    // <input type="checkbox" data-select-all="ids">: ticks every input[name=ids] of its table.
    const selectAll = target.closest("input[data-select-all]");
    if (selectAll) {
      const name = selectAll.dataset.selectAll;
      for (const box of selectAll.closest("table").querySelectorAll("input[type=checkbox]")) {
        if (box.name === name) {
          box.checked = selectAll.checked;
        }
      }
      return;
    }

    // The conflict box of a draft field: put the other person's text back into the field, take
    // their version as the base of the next save, and return to the field (the button goes).
    const useTheirs = target.closest("button[data-use-theirs]");
    if (useTheirs) {
      const code = useTheirs.dataset.useTheirs;
      const field = document.getElementById("v-" + code);
      field.value = useTheirs.dataset.theirs;
      document.getElementById("base-" + code).value = useTheirs.dataset.version;
      document.getElementById("st-" + code).textContent = "Đã dùng nội dung của người kia.";
      field.focus();
    }
  });

  // Autosave of draft fields (submissions/partials/_field.html): field "v-CODE", its base version
  // "base-CODE", its status line "st-CODE", where the conflict box appears.
  function statusCode(element) {
    return element instanceof Element && element.id.startsWith("st-") ? element.id.slice(3) : null;
  }

  // Reaching a button of the conflict box leaves the field, which fires its `change` save: the same
  // text from the same base, so the same conflict. Its answer used to replace the box under the
  // pointer (a click then never happened) or under the keyboard focus. That save is not sent.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const field = event.detail.elt;
    if (!(field instanceof HTMLElement) || !field.id.startsWith("v-")) {
      return;
    }
    const box = document.querySelector("#st-" + field.id.slice(2) + " .conflict[data-yours]");
    if (box && box.dataset.yours === field.value) {
      event.preventDefault();
    }
  });

  // An answer to a save sent from a base the field no longer has (the user took the other
  // person's version meanwhile) is stale: it must not replace what the user chose.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const code = statusCode(event.detail.target);
    const config = event.detail.requestConfig;
    if (code === null || !config || !config.formData) {
      return;
    }
    const sent = config.formData.get("base__" + code);
    const base = document.getElementById("base-" + code);
    if (sent !== null && base && sent !== base.value) {
      event.detail.shouldSwap = false;
      return;
    }
    // A button of the box that has the focus goes with the swap: the focus returns to the field.
    event.detail.target.dataset.hadFocus = event.detail.target.contains(document.activeElement) ? "1" : "";
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const code = statusCode(event.detail.target);
    if (code === null || event.detail.target.dataset.hadFocus !== "1") {
      return;
    }
    delete event.detail.target.dataset.hadFocus;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      const field = document.getElementById("v-" + code);
      if (field) {
        field.focus();
      }
    }
  });

  // The menu folds only when this script runs (without it the menu stays open); the error pages'
  // back button shows only when there is a page to go back to.
  function ready() {
    for (const header of document.querySelectorAll(".topbar")) {
      if (header.querySelector(".menu-toggle")) {
        header.classList.add("menu-ready");
      }
    }
    for (const back of document.querySelectorAll("button[data-history-back]")) {
      back.hidden = window.history.length < 2;
    }
    for (const picker of document.querySelectorAll("input[data-filter-select]")) {
      picker.hidden = false;
    }
    markScrollable();
  }

  // A table wider than its card scrolls inside it: the keyboard must reach it too (tab to it, then
  // arrows), so a scrolling wrapper becomes focusable.
  function markScrollable() {
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label")) {
          const caption = wrap.querySelector("caption");
          wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Bảng (cuộn ngang)");
        }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
      }
    }
  }
  window.addEventListener("resize", markScrollable);
  document.addEventListener("htmx:afterSettle", markScrollable);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }

  // The browser's own validation messages, in Vietnamese whatever the browser's language
  // (a form field's data-invalid-message, if any, says it better).
  function validationMessage(field) {
    const v = field.validity;
    if (field.dataset.invalidMessage && !v.valueMissing) {
      return field.dataset.invalidMessage;
    }
    if (v.valueMissing) {
      if (field.type === "checkbox") {
        return "Hãy đánh dấu ô này nếu muốn tiếp tục.";
      }
      if (field.type === "file") {
        return "Hãy chọn một tệp.";
      }
      if (field.tagName === "SELECT" || field.type === "radio") {
        return "Hãy chọn một mục trong danh sách.";
      }
      return "Hãy điền vào ô này.";
    }
    if (v.typeMismatch) {
      if (field.type === "email") {
        return "Hãy nhập một địa chỉ thư điện tử hợp lệ, ví dụ ten@donvi.gov.vn.";
      }
      if (field.type === "url") {
        return "Hãy nhập một địa chỉ web hợp lệ.";
      }
      return "Giá trị không đúng kiểu.";
    }
    if (v.patternMismatch) {
      return field.placeholder === "dd/mm/yyyy"
        ? "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/12/2026."
        : "Giá trị không đúng định dạng yêu cầu" + (field.title ? ": " + field.title : ".");
    }
    if (v.rangeUnderflow) {
      return "Giá trị phải lớn hơn hoặc bằng " + field.min + ".";
    }
    if (v.rangeOverflow) {
      return "Giá trị phải nhỏ hơn hoặc bằng " + field.max + ".";
    }
    if (v.stepMismatch) {
      return "Giá trị không hợp lệ: hãy nhập một số theo bước " + (field.step || "1") + ".";
    }
    if (v.tooShort) {
      return "Hãy nhập ít nhất " + field.minLength + " ký tự (hiện có " + field.value.length + ").";
    }
    if (v.tooLong) {
      return "Hãy nhập không quá " + field.maxLength + " ký tự (hiện có " + field.value.length + ").";
    }
    if (v.badInput) {
      return field.type === "number" ? "Hãy nhập một số." : "Giá trị không hợp lệ.";
    }
    return "";
  }

  document.addEventListener("invalid", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement
          || field instanceof HTMLTextAreaElement)) {
      return;
    }
    field.setCustomValidity("");
    if (!field.validity.valid) {
      field.setCustomValidity(validationMessage(field));
    }
  }, true);

  function clearValidity(event) {
    const field = event.target;
    if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement
        || field instanceof HTMLTextAreaElement) {
      field.setCustomValidity("");
    }
  }
  document.addEventListener("input", clearValidity, true);
  document.addEventListener("change", clearValidity, true);

  // A searchable unit picker (core/widgets.py, UnitPicker): typing in the box before a <select>
  // shows only the units whose name or code holds the text (diacritics ignored).
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  document.addEventListener("input", function (event) {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.filterSelect) {
      return;
    }
    const select = document.getElementById(box.dataset.filterSelect);
    if (!select) {
      return;
    }
    const wanted = fold(box.value.trim());
    for (const option of select.querySelectorAll("option")) {
      if (option.value === "") {
        continue;
      }
      const shown = wanted === "" || fold(option.textContent + " " + (option.dataset.code || "")).includes(wanted);
      option.hidden = !shown;
      option.disabled = !shown && !option.selected;
    }
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = !group.querySelector("option:not([hidden])");
    }
  });
})();

// <select data-period-for="ID"> (web/partials/_period_select.html): the periods of the regime chosen
// in select#ID only. The other regimes' groups are taken out of the list (kept here, put back when
// the regime changes), so a period code shared by two regimes is offered once.
(function () {
  "use strict";

  function narrow(periods, regimeSelect, groups) {
    const regime = regimeSelect.value;
    const previous = periods.value;
    periods.replaceChildren(...groups.filter(function (group) {
      return group.dataset.regimeId === regime || group.dataset.regimeCode === regime;
    }));
    const kept = Array.from(periods.options).find(function (option) { return option.value === previous; });
    if (kept) {
      kept.selected = true;
    } else if (periods.options.length) {
      periods.options[0].selected = true;
    }
  }

  function setUp(root) {
    for (const periods of root.querySelectorAll("select[data-period-for]")) {
      const regimeSelect = document.getElementById(periods.dataset.periodFor);
      if (!regimeSelect || periods.dataset.periodReady) {
        continue;
      }
      periods.dataset.periodReady = "1";
      const groups = Array.from(periods.querySelectorAll("optgroup"));
      regimeSelect.addEventListener("change", function () { narrow(periods, regimeSelect, groups); });
      narrow(periods, regimeSelect, groups);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) {
      setUp(event.target);
    }
  });
})();
