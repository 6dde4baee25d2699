// While street-level files are checked or imported, ask the server how far it has got every
// few seconds, show it, and reload once the work has ended. Without JavaScript the "Check
// progress" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-crime-import-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-crime-import-status-url");
  var text = box.querySelector("[data-crime-import-progress]");
  var bar = box.querySelector("progress");
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { finished: false }; })
      .then(function (status) {
        if (status.finished) { window.location.reload(); return; }
        var progress = status.progress;
        if (progress && text) {
          var line = progress.label;
          if (progress.done) {
            line += ": " + progress.done.toLocaleString("en-GB");
            if (progress.total) { line += " of " + progress.total.toLocaleString("en-GB"); }
            line += " rows";
          }
          text.textContent = line + ".";
          if (bar && progress.percent !== null) { bar.value = progress.percent; bar.textContent = progress.percent + "%"; }
        }
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, 1000);
})();
