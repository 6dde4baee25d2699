// While a GIAS import runs, ask the server how far it has got every few seconds, show it, and
// reload the page once the import has ended. Without JavaScript the "Check progress" link
// does the same by hand; there is no meta refresh.
(function () {
  "use strict";
  var box = document.querySelector("[data-gias-import-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-gias-import-status-url");
  var text = box.querySelector("[data-gias-import-progress]");
  function describe(progress) {
    var line = progress.label;
    if (progress.done) {
      var done = progress.done.toLocaleString("en-GB");
      if (progress.stage === "saving") {
        line += ": " + done + " schools";
      } else if (progress.total) {
        line += ": " + done + " of " + progress.total.toLocaleString("en-GB") + " rows";
      } else {
        line += ": " + done + " rows so far";
      }
    }
    return line + ".";
  }
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { finished: false }; })
      .then(function (status) {
        if (status.finished) { window.location.reload(); return; }
        if (status.progress && text) { text.textContent = describe(status.progress); }
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, 1000);
})();
