// Progressive enhancements for the meetings pages; every page works without them.
(function () {
  "use strict";

  // Calendar settings: offer the device's time zone with one click.
  var detect = document.querySelector("[data-detect-time-zone]");
  var zoneSelect = document.getElementById("id_time_zone");
  if (detect && zoneSelect && window.Intl && Intl.DateTimeFormat) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var known = Array.prototype.some.call(zoneSelect.options, function (o) { return o.value === zone; });
    if (zone && known) {
      detect.hidden = false;
      detect.textContent = detect.textContent + " (" + zone + ")";
      detect.addEventListener("click", function () {
        zoneSelect.value = zone;
        zoneSelect.focus();
      });
    }
  }

  // Case study form: warn about likely personal data while typing. The server checks again.
  var form = document.querySelector("[data-personal-data-check]");
  var output = document.querySelector("[data-live-warnings]");
  if (form && output) {
    var checks = [
      [/[\w.+-]+@[\w-]+\.[\w.-]+/, "an email address"],
      [/\+?\(?\d(?:[\s.\-()]*\d){7,}/, "a phone number"],
      [/\b\d{1,2}[- ]year[- ]old\s+[A-Z][a-z]+/, "a name next to an age"],
      [/[A-Z][a-z]+ [A-Z][a-z]+\s*(?:,|\()\s*\d{1,2}\b/, "a full name next to an age"],
      [/\b[A-Z][\w'-]+\s+(?:Primary |Secondary |High )?(?:School|College|Academy|Gymnasium|Lyceum)\b/, "the name of a school"]
    ];
    var fields = form.querySelectorAll("textarea, input[type=text]");
    var timer = null;
    var check = function () {
      var text = Array.prototype.map.call(fields, function (f) { return f.value; }).join("\n");
      var found = checks.filter(function (c) { return c[0].test(text); }).map(function (c) { return c[1]; });
      output.hidden = found.length === 0;
      output.textContent = found.length ? "Please check: the text may contain " + found.join(", ") + "." : "";
    };
    Array.prototype.forEach.call(fields, function (field) {
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(check, 600);
      });
    });
  }
})();
