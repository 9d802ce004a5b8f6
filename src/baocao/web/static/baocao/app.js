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
})();

// ---------------------------------------------------------------------------------------------
// Unit picker (orgunits/widgets.py, UnitPicker): a <select data-unit-picker> of units in tree
// order gets a search box before it (an ARIA combobox with its list of results). Typing finds the
// units whose code, name or listed parents hold every word typed, diacritics ignored ("ba be"
// finds "Ba Bể", "d" finds "đ"); arrows move in the results, Enter picks (for several units:
// picks or drops, the list stays open), Escape closes. The <select> stays as it is: without this
// script it is the picker, and it always shows what is chosen.
(function () {
  "use strict";

  const SHOWN = 50;  // results listed at once; typing more narrows them

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function number(n) {
    return n.toLocaleString("vi-VN");
  }

  function labelOf(select) {
    const label = select.id ? document.querySelector("label[for='" + CSS.escape(select.id) + "']") : null;
    // "Đơn vị chủ trì *" -> "đơn vị chủ trì"; "hoặc đơn vị" (one of several ways) -> "đơn vị".
    const text = label ? label.textContent.replace("*", "").trim().replace(/^hoặc\s+/i, "") : "";
    return text || "đơn vị";
  }

  function enhance(select, serial) {
    // A page htmx restores from its history cache brings back the box without its handlers.
    const before = select.previousElementSibling;
    if (before && before.classList.contains("unit-picker")) {
      before.remove();
    }
    const after = select.nextElementSibling;
    if (after && after.classList.contains("unit-picker-chosen")) {
      after.remove();
    }
    const base = (select.id || "unit-picker-" + serial);
    const multiple = select.multiple;
    const entries = [];
    for (const option of select.options) {
      if (option.value === "") {
        continue;
      }
      // Shown as the option reads (a closed unit with its last day), without the indentation.
      const name = option.dataset.name || option.textContent.trim();
      entries.push({option: option, name: option.textContent.trim(), parent: option.dataset.parent || "",
                    search: option.dataset.search || fold(name), folded: fold(name)});
    }

    const wrapper = document.createElement("div");
    wrapper.className = "unit-picker";
    const input = document.createElement("input");
    input.type = "search";
    input.id = base + "-search";
    input.className = "unit-picker-search";
    input.autocomplete = "off";
    input.placeholder = "Gõ tên hoặc mã để tìm, ví dụ: ba be";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-label", "Tìm " + labelOf(select).toLowerCase());
    // The results float over the page (the form below does not move): the listbox and a visible
    // count; screen readers hear the count from the live status line, which is not seen.
    const popup = document.createElement("div");
    popup.className = "unit-picker-popup";
    popup.hidden = true;
    const list = document.createElement("ul");
    list.id = base + "-results";
    list.className = "unit-picker-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Đơn vị tìm được");
    if (multiple) {
      list.setAttribute("aria-multiselectable", "true");
    }
    input.setAttribute("aria-controls", list.id);
    const status = document.createElement("p");
    status.id = base + "-status";
    status.className = "unit-picker-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    const note = document.createElement("p");
    note.className = "unit-picker-note small muted";
    note.setAttribute("aria-hidden", "true");
    popup.append(list, note);
    wrapper.append(input, popup, status);
    select.parentNode.insertBefore(wrapper, select);

    let chosen = null;
    if (multiple) {
      chosen = document.createElement("ul");
      chosen.className = "unit-picker-chosen";
      chosen.setAttribute("aria-label", "Đơn vị đã chọn");
      select.after(chosen);
    }

    let results = [];
    let active = -1;

    function open() {
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function search() {
      const words = fold(input.value).split(" ").filter(Boolean);
      const phrase = words.join(" ");
      const found = entries.filter((e) => words.every((w) => e.search.includes(w)));
      // Units named by the words come first, then those found through a parent; tree order within.
      const named = found.filter((e) => e.folded.includes(phrase));
      results = named.concat(found.filter((e) => !e.folded.includes(phrase)));
      render();
      if (results.length === 0) {
        status.textContent = "Không tìm thấy đơn vị nào.";
      } else if (results.length > SHOWN) {
        status.textContent = number(results.length) + " đơn vị phù hợp, hiện " + SHOWN
          + " đơn vị đầu: gõ thêm để thu hẹp.";
      } else {
        status.textContent = number(results.length) + " đơn vị phù hợp.";
      }
      note.textContent = status.textContent;
      open();
      move(results.length ? 0 : -1);
    }

    function render() {
      list.replaceChildren();
      results.slice(0, SHOWN).forEach(function (entry, index) {
        const item = document.createElement("li");
        item.id = base + "-result-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", entry.option.selected ? "true" : "false");
        item.dataset.index = String(index);
        item.textContent = entry.name;
        if (entry.parent) {
          const parent = document.createElement("span");
          parent.className = "unit-picker-parent";
          parent.textContent = "thuộc " + entry.parent;
          item.append(" ", parent);
        }
        list.append(item);
      });
    }

    function move(index) {
      const items = list.querySelectorAll("li");
      if (active >= 0 && items[active]) {
        items[active].classList.remove("active");
      }
      active = items.length ? Math.max(0, Math.min(index, items.length - 1)) : -1;
      if (active < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      items[active].classList.add("active");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({block: "nearest"});
    }

    function choose(index) {
      const entry = results[index];
      if (!entry) {
        return;
      }
      if (multiple) {
        entry.option.selected = !entry.option.selected;
        list.querySelectorAll("li")[index].setAttribute("aria-selected", entry.option.selected ? "true" : "false");
        status.textContent = (entry.option.selected ? "Đã chọn: " : "Đã bỏ chọn: ") + entry.name;
      } else {
        select.value = entry.option.value;
        input.value = "";
        close();
        status.textContent = "Đã chọn: " + entry.name;
      }
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }

    function showChosen() {
      if (!chosen) {
        return;
      }
      chosen.replaceChildren();
      for (const entry of entries) {
        if (!entry.option.selected) {
          continue;
        }
        const item = document.createElement("li");
        item.append(entry.name + " ");
        const drop = document.createElement("button");
        drop.type = "button";
        drop.className = "unit-picker-drop";
        drop.textContent = "×";
        drop.setAttribute("aria-label", "Bỏ chọn " + entry.name);
        drop.addEventListener("click", function () {
          entry.option.selected = false;
          select.dispatchEvent(new Event("change", {bubbles: true}));
          status.textContent = "Đã bỏ chọn: " + entry.name;
          input.focus();
        });
        item.append(drop);
        chosen.append(item);
      }
    }

    input.addEventListener("input", function () {
      if (input.value.trim() === "") {
        close();
        status.textContent = "";
      } else {
        search();
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (popup.hidden) {
          search();
        } else {
          move(active + 1);
        }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!popup.hidden) {
          move(active - 1);
        }
      } else if (event.key === "Enter") {
        event.preventDefault();  // never sends the form from the search box
        if (!popup.hidden && active >= 0) {
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (!popup.hidden) {
          event.preventDefault();
          close();
        }
      }
    });
    // The box is no field of the form: its changes must not trigger the form's own handlers (htmx).
    input.addEventListener("change", function (event) {
      event.stopPropagation();
    });
    popup.addEventListener("mousedown", function (event) {
      event.preventDefault();  // the focus stays in the box
    });
    list.addEventListener("click", function (event) {
      const item = event.target instanceof Element ? event.target.closest("li[data-index]") : null;
      if (item) {
        choose(Number(item.dataset.index));
      }
    });
    wrapper.addEventListener("focusout", function (event) {
      if (!wrapper.contains(event.relatedTarget)) {
        close();
      }
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }

  let serial = 0;
  const enhanced = new WeakSet();
  function init(root) {
    if (!(root instanceof Element || root instanceof Document)) {
      return;
    }
    const selects = Array.from(root.querySelectorAll("select[data-unit-picker]"));
    if (root instanceof Element && root.matches("select[data-unit-picker]")) {
      selects.push(root);
    }
    for (const select of selects) {
      if (!enhanced.has(select)) {
        enhanced.add(select);
        serial += 1;
        enhance(select, serial);
      }
    }
  }

  document.addEventListener("htmx:load", function (event) {
    init(event.detail.elt);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
// End of the unit picker.
// ---------------------------------------------------------------------------------------------

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
