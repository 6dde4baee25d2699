// While the signed PDF is being made, ask the server every few seconds and reload the page
// once it is ready. Without JavaScript the banner's link does the same by hand.
(function () {
  "use strict";
  var banner = document.querySelector("[data-seal-status-url]");
  if (!banner || !window.fetch) { return; }
  var url = banner.getAttribute("data-seal-status-url");
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { sealed: false }; })
      .then(function (status) {
        if (status.sealed) { window.location.reload(); } else { window.setTimeout(check, 3000); }
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, 2000);
})();
