// The pages' own behaviour, in a file rather than in on… attributes: the Content-Security-Policy
// runs no inline script. Delegated from the document, so it also works in fragments htmx swaps in.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!(target instanceof Element)) {
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
})();
