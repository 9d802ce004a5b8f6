// The desk's tables behind its charts print with them: a closed <details> prints nothing, so every
// table is opened before printing and closed again after (only those the reader had not opened).
(function () {
  "use strict";
  let opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    for (const details of document.querySelectorAll("details.chart-data:not([open])")) {
      details.open = true;
      opened.push(details);
    }
  });
  window.addEventListener("afterprint", function () {
    for (const details of opened) {
      details.open = false;
    }
    opened = [];
  });
})();
