// Draw a signature on the canvas; its PNG goes in the hidden field when the form is sent.
// Without JavaScript the pad stays hidden and the typed name is the signature.
(function () {
  "use strict";
  var pad = document.querySelector("[data-signature-pad]");
  if (!pad || typeof window.SignaturePad === "undefined") { return; }
  var canvas = pad.querySelector("canvas");
  var field = document.getElementById(pad.getAttribute("data-field"));
  var form = field.form;
  var signaturePad = new window.SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });

  function resize() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var data = signaturePad.isEmpty() ? null : signaturePad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    signaturePad.clear();
    if (data) { signaturePad.fromData(data); }
  }
  window.addEventListener("resize", resize);
  resize();

  pad.querySelector("[data-signature-clear]").addEventListener("click", function (event) {
    event.preventDefault();
    signaturePad.clear();
    field.value = "";
  });
  form.addEventListener("submit", function () {
    field.value = signaturePad.isEmpty() ? "" : signaturePad.toDataURL("image/png");
  });
})();
