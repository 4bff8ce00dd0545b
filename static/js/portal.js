/* Behaviour of the public site and the portal, wired by data attributes: the Content-Security-Policy allows
   scripts from this site's files only (no inline script or event-handler attribute). */
(function () {
  "use strict";

  // <form data-confirm="…"> and <button data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // <select data-autosubmit>: choosing a value submits its form.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });

  // <body data-print-on-load>: the printable page opens the print dialogue.
  if (document.body.hasAttribute("data-print-on-load") && window.print) {
    window.addEventListener("load", function () { window.print(); });
  }

  // <button data-send-code="purpose" data-url="…">: text a verification code to the form's mobile number.
  document.querySelectorAll("[data-send-code]").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = button.closest("form");
      var body = new FormData();
      body.append("purpose", button.dataset.sendCode);
      var mobile = form.querySelector("[name=mobile]");
      if (mobile) body.append("mobile", mobile.value);
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      var status = form.querySelector("[data-code-status]");
      fetch(button.dataset.url, {method: "POST", body: body, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          status.textContent = data.ok ? data.message || button.dataset.sent + (data.masked ? "：" + data.masked : "") : data.error;
          if (data.ok) {
            button.disabled = true;
            setTimeout(function () { button.disabled = false; }, 60000);
          }
        });
    });
  });

  // <div class="bureau-cascade" data-url="…">: choose a bureau level by level; the hidden #id_bureau keeps the choice.
  var cascade = document.querySelector(".bureau-cascade");
  if (cascade) {
    var hidden = document.getElementById("id_bureau");
    var selects = function () { return Array.prototype.slice.call(cascade.querySelectorAll("select")); };
    cascade.addEventListener("change", function (event) {
      var select = event.target, level = +select.dataset.level;
      selects().forEach(function (s) { if (+s.dataset.level > level) s.remove(); });
      hidden.value = select.value || (level > 0 ? selects()[level - 1].value : "");
      if (!select.value || level >= 2) return;
      fetch(cascade.dataset.url + "?parent=" + encodeURIComponent(select.value))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.results.length) return;
          var child = document.createElement("select");
          child.className = "bureau-level";
          child.dataset.level = level + 1;
          child.add(new Option("---------", ""));
          data.results.forEach(function (o) { child.add(new Option(o.name, o.id)); });
          cascade.appendChild(child);
        });
    });
  }
})();
