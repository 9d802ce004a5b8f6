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

    // The conflict box of a draft field: put the other person's text back into the field and
    // take their version as the base of the next save.
    const useTheirs = target.closest("button[data-use-theirs]");
    if (useTheirs) {
      const code = useTheirs.dataset.useTheirs;
      document.getElementById("v-" + code).value = useTheirs.dataset.theirs;
      document.getElementById("base-" + code).value = useTheirs.dataset.version;
      document.getElementById("st-" + code).textContent = "Đã dùng nội dung của người kia.";
    }
  });
})();
