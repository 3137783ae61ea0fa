// Composer drafts: saved on the server as the author types, so a closed tab or another device
// never loses the text. Progressive enhancement: without this script the forms work as usual
// (drafts are then restored only from what the server already has).
// Text the server has not confirmed yet is also kept in this tab's sessionStorage: a save sent
// as the page unloads can reach the server after a reload has already served the older draft.
// Signing out clears the storage (Clear-Site-Data), and the key names the signed-in member.
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
    var lastSent = currentText();
    var submitting = false;
    var storageKey = "sic-draft:" + (status ? status.getAttribute("data-owner") : "") + ":" + key;

    function currentText() {
      return JSON.stringify([title ? title.value : "", body.value]);
    }

    function message(name, fallback) {
      return (status && status.getAttribute("data-" + name + "-text")) || fallback;
    }

    function show(text) {
      if (status) {
        status.textContent = text;
      }
    }

    // sessionStorage can be unavailable (privacy settings, full quota): the server copy remains.
    function keepUnsent(text) {
      try { window.sessionStorage.setItem(storageKey, text); } catch (error) { /* server copy only */ }
    }

    function unsent() {
      try { return window.sessionStorage.getItem(storageKey); } catch (error) { return null; }
    }

    function forgetUnsent(text) {
      try {
        if (text === undefined || window.sessionStorage.getItem(storageKey) === text) {
          window.sessionStorage.removeItem(storageKey);
        }
      } catch (error) { /* nothing kept */ }
    }

    function save(options) {
      var current = currentText();
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
        headers: { "X-Requested-With": "fetch" },
        // A save sent as the page unloads must outlive the page.
        keepalive: Boolean(options && options.unloading)
      }).then(function (response) {
        if (response.ok) {
          lastSent = current;
          forgetUnsent(current);
          show(message("saved", "Draft saved."));
        } else {
          show(message("failed", "Draft not saved: keep this page open and try again."));
        }
      }).catch(function () {
        show(message("offline", "Offline: the draft is not saved yet."));
      });
    }

    function schedule() {
      keepUnsent(currentText());
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_DELAY_MS);
    }

    function restoreUnsent() {
      var kept = unsent();
      if (!kept || kept === lastSent) {
        forgetUnsent();
        return;
      }
      try {
        var values = JSON.parse(kept);
        if (title) {
          title.value = values[0];
        }
        body.value = values[1];
      } catch (error) {
        forgetUnsent();
        return;
      }
      show(message("restored", "Your latest changes are back. Saving them now."));
      schedule();
    }

    restoreUnsent();
    body.addEventListener("input", schedule);
    if (title) {
      title.addEventListener("input", schedule);
    }
    form.addEventListener("submit", function () {
      submitting = true;
      window.clearTimeout(timer);
      forgetUnsent();
    });
    window.addEventListener("pagehide", function () {
      save({ unloading: true });
    });
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
