// Web chat, made smoother when JavaScript runs. Everything works without this file.
// - Quick exit replaces this page in the tab's history, so Back does not return here.
// - Buttons post in the background and the next step replaces the page, so there is no
//   "resubmit form?" page; each step lands at the top with focus on its question.
// - The phone's Back button goes to the previous question: one extra history entry
//   stands guard, and leaving it presses the page's own Back button.
// - A pressed button stays pressed and a second tap is ignored while a step is on its way.
// - The text box counts the characters left; the receipt code has a copy button.
(function () {
  "use strict";

  var GUARD = "yv-step";
  var leaving = false;

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    quickExit(link.href);
  });

  // Step off the guard entry first, so the chat leaves no entry behind the exit site.
  function quickExit(href) {
    var gone = false;
    function go() {
      if (gone) return;
      gone = true;
      window.location.replace(href);
    }
    if (history.state && history.state.yv === GUARD) {
      leaving = go;
      history.back();
      window.setTimeout(go, 200); // if the browser never reports the step back
    } else {
      go();
    }
  }

  window.addEventListener("popstate", function () {
    if (leaving) { leaving(); return; }
    var back = document.querySelector('form[data-chat] button[value="c:back"]');
    if (!back) {
      history.back(); // no earlier question: Back leaves the chat as usual
      return;
    }
    guard();
    back.form.requestSubmit(back);
  });

  function guard() {
    if (document.querySelector("form[data-chat]") && !(history.state && history.state.yv)) {
      history.pushState({ yv: GUARD }, "");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-chat]")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    if (event.submitter) event.submitter.setAttribute("data-pressed", "");
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
    ready();
    window.scrollTo(0, 0);
    // Focus the new question (or the page) so a screen reader reads it next.
    var target = document.querySelector("[data-focus]") || document.querySelector("main");
    if (target) target.focus({ preventScroll: true });
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

  function count(box) {
    var hint = document.getElementById("words-limit");
    var left = Number(box.getAttribute("maxlength")) - box.value.length;
    if (hint) hint.textContent = box.dataset.left.replace("{left}", String(left));
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-left]")) count(event.target);
  });

  // The receipt's copy button exists only where copying can work.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var code = document.getElementById(button.dataset.copy).textContent.trim();
    navigator.clipboard.writeText(code).then(function () {
      button.textContent = button.dataset.copied;
    });
  });

  function ready() {
    var box = document.querySelector("textarea[data-left]");
    if (box) count(box);
    if (navigator.clipboard) {
      document.querySelectorAll("button[data-copy]").forEach(function (b) { b.hidden = false; });
    }
    guard();
  }

  ready();
})();
