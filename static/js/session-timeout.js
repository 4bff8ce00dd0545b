// Warns a signed-in administrator before the idle time-out ends (cqosite/sessions.py) and offers to stay
// signed in; when the time is up, reloads the page, which then asks to sign in again.
(function () {
  "use strict";
  var script = document.currentScript;
  var idle = Number(script.dataset.idleSeconds) * 1000;
  var warning = Number(script.dataset.warningSeconds) * 1000;
  var banner = null;
  var timers = [];

  function clear() {
    timers.forEach(window.clearTimeout);
    timers = [];
    if (banner) {
      banner.remove();
      banner = null;
    }
  }

  function warn() {
    banner = document.createElement("div");
    banner.className = "session-timeout-warning";
    Object.assign(banner.style, {
      position: "fixed", top: "0", left: "0", right: "0", zIndex: "1000", padding: "1rem",
      background: "#fff4d6", borderBottom: "2px solid #c77d00", textAlign: "center",
    });
    banner.setAttribute("role", "alertdialog");
    banner.setAttribute("aria-live", "assertive");
    var text = document.createElement("p");
    text.textContent = script.dataset.message;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = script.dataset.stay;
    button.addEventListener("click", function () {
      fetch(script.dataset.keepAliveUrl, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (response.ok) {
          start();
        } else {
          window.location.reload();
        }
      });
    });
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.appendChild(banner);
    button.focus();
  }

  function start() {
    clear();
    timers.push(window.setTimeout(warn, Math.max(0, idle - warning)));
    timers.push(window.setTimeout(function () { window.location.reload(); }, idle + 1000));
  }

  start();
})();
