// Web chat, made smoother when JavaScript runs. Everything works without this file.
// - Quick exit replaces this page in the tab's history, so Back does not return here.
// - Buttons post in the background and the next step replaces the page, so a whole
//   conversation leaves a single entry in the tab's history and no "resubmit form?" page.
// - A second tap while a step is on its way is ignored.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    window.location.replace(link.href);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-chat]")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    var body = new URLSearchParams(new FormData(form, event.submitter));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(show)
      .catch(function () { fallBack(form, event.submitter); });
  });

  function show(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    document.documentElement.lang = next.documentElement.lang;
    document.documentElement.dir = next.documentElement.dir;
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
    // Move focus to the new question (or the page) so a screen reader reads it next.
    var target = document.querySelector("[data-focus]") || document.querySelector("main");
    if (target) target.focus();
  }

  // No connection for the background post: send the form the ordinary way instead.
  function fallBack(form, submitter) {
    if (submitter && submitter.name) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = submitter.name;
      field.value = submitter.value;
      form.appendChild(field);
    }
    form.removeAttribute("data-chat");
    form.submit();
  }
})();
