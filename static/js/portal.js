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

  // The standard editor (#standard-form): pledge preview, submit only once pledged, formset rows, catalogue search.
  var editor = document.getElementById("standard-form");
  if (editor) {
    var pledgeBox = document.getElementById("id_pledge_accepted"), submit = document.getElementById("submit-button");
    var sync = function () { submit.disabled = !pledgeBox.checked; };
    pledgeBox.addEventListener("change", sync);
    sync();
    var number = document.getElementById("id_number"), name = document.getElementById("id_name");
    var pledge = document.getElementById("pledge");
    var renderPledge = function () {
      pledge.textContent = pledge.dataset.template.replace(/\{number\}/g, number.value).replace(/\{name\}/g, name.value);
    };
    [number, name].forEach(function (input) { input.addEventListener("input", renderPledge); });
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () {
        var prefix = button.dataset.addRow, total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
        var html = document.getElementById(prefix + "-template").innerHTML.replace(/__prefix__/g, total.value);
        document.querySelector("#" + prefix + " tbody").insertAdjacentHTML("beforeend", html);
        total.value = +total.value + 1;
      });
    });
    document.querySelectorAll("[name$=category_name]").forEach(function (i) { i.setAttribute("list", "indicator-categories"); });
    var q = document.getElementById("catalogue-q");
    if (q) q.addEventListener("input", function () {
      fetch(q.dataset.url + "?kind=" + q.dataset.kind + "&q=" + encodeURIComponent(q.value))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var list = document.getElementById("catalogue-results");
          list.innerHTML = "";
          data.results.forEach(function (e) {
            var item = document.createElement("li"), choose = document.createElement("button");
            choose.type = "button";
            choose.textContent = e.number + " " + e.name;
            choose.addEventListener("click", function () {
              number.value = e.number; name.value = e.name; renderPledge(); list.innerHTML = "";
            });
            item.appendChild(choose);
            list.appendChild(item);
          });
        });
    });
  }
})();
