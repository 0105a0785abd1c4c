// The invite page's Copy and Share buttons (issue 15). Without JavaScript the links sit
// in read-only fields and the email/text-message fallback is shown instead.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  function say(text) { if (status) { status.textContent = text; } }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      function selectIt() {
        field.focus();
        field.select();
        say("The link is selected: press Ctrl+C (or Cmd+C) to copy it.");
      }
      if (!navigator.clipboard || !window.isSecureContext) { selectIt(); return; }
      navigator.clipboard.writeText(field.value).then(function () {
        say("Link copied.");
      }, selectIt);
    });
  });

  document.querySelectorAll("[data-share]").forEach(function (button) {
    var fallback = document.getElementById(button.getAttribute("data-share"));
    button.hidden = false;
    if (fallback) { fallback.hidden = true; }
    button.addEventListener("click", function () {
      var data = {
        title: button.getAttribute("data-title"),
        text: button.getAttribute("data-text"),
        url: button.getAttribute("data-url")
      };
      if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
        navigator.share(data).catch(function () { /* closed without sharing */ });
        return;
      }
      if (fallback) {
        fallback.hidden = false;
        var first = fallback.querySelector("a");
        if (first) { first.focus(); }
      }
    });
  });
})();
