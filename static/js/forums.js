// Composer drafts: saved on the server as the author types, so a closed tab or another device
// never loses the text. Progressive enhancement: without this script the forms work as usual
// (drafts are then restored only from what the server already has).
(function () {
  "use strict";

  var SAVE_DELAY_MS = 1500;

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setupComposer(form) {
    var key = form.getAttribute("data-draft-key");
    var url = form.getAttribute("data-draft-url");
    var body = form.querySelector("textarea[name=body]");
    var title = form.querySelector("input[name=title]");
    var status = form.querySelector("[data-draft-status]");
    if (!key || !url || !body) {
      return;
    }
    var timer = null;
    var lastSent = JSON.stringify([title ? title.value : "", body.value]);
    var submitting = false;

    function show(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function save() {
      var current = JSON.stringify([title ? title.value : "", body.value]);
      if (current === lastSent || submitting) {
        return;
      }
      var data = new FormData();
      data.append("key", key);
      data.append("body", body.value);
      if (title) {
        data.append("title", title.value);
      }
      data.append("csrfmiddlewaretoken", csrfToken(form));
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (response.ok) {
          lastSent = current;
          show(form.getAttribute("data-saved-text") || "Draft saved.");
        } else {
          show("Draft not saved: keep this page open and try again.");
        }
      }).catch(function () {
        show("Offline: the draft is not saved yet.");
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_DELAY_MS);
    }

    body.addEventListener("input", schedule);
    if (title) {
      title.addEventListener("input", schedule);
    }
    form.addEventListener("submit", function () {
      submitting = true;
      window.clearTimeout(timer);
    });
    window.addEventListener("pagehide", save);
  }

  function focusComposerOnQuote() {
    if (window.location.hash !== "#reply" || window.location.search.indexOf("quote=") === -1) {
      return;
    }
    var textarea = document.querySelector("#reply textarea[name=body]");
    if (textarea) {
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    }
  }

  document.querySelectorAll("form[data-draft-key]").forEach(setupComposer);
  focusComposerOnQuote();
})();
