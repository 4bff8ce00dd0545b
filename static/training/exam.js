// The online exam: each answer is posted as soon as it is chosen; answers not yet saved (a dropped connection)
// are retried, and the paper is handed in automatically when the time is up. Without this script the form still
// works: handing in posts every answer.
(function () {
  "use strict";
  var form = document.getElementById("exam-form");
  if (!form) return;
  var url = form.dataset.answerUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var texts = document.getElementById("exam-messages").content;
  var text = function (name) { return texts.querySelector("[data-" + name + "]").textContent; };
  var pending = {};
  var retrying = null;
  var handingIn = false;

  function answerOf(fieldset) {
    return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; }).join("");
  }

  function progress() {
    var node = document.getElementById("exam-progress");
    var all = form.querySelectorAll("fieldset.question");
    var done = Array.prototype.filter.call(all, function (f) { return answerOf(f) !== ""; }).length;
    node.textContent = done + " / " + all.length;
  }

  function send(fieldset) {
    var position = fieldset.dataset.position;
    var state = fieldset.querySelector(".save-state");
    var body = new FormData();
    body.append("position", position);
    body.append("answer", answerOf(fieldset));
    pending[position] = fieldset;
    state.textContent = text("saving");
    state.className = "save-state saving";
    return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 409) { handIn(); return; }
        if (!response.ok) throw new Error(response.status);
        if (pending[position] === fieldset && answerOf(fieldset) === body.get("answer")) {
          delete pending[position];
          state.textContent = text("saved");
          state.className = "save-state saved";
        }
      })
      .catch(function () {
        state.textContent = text("offline");
        state.className = "save-state offline";
        scheduleRetry();
      });
  }

  function scheduleRetry() {
    if (retrying) return;
    retrying = setTimeout(function () {
      retrying = null;
      Object.keys(pending).forEach(function (position) { send(pending[position]); });
    }, 3000);
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) { send(fieldset); progress(); }
  });
  window.addEventListener("online", scheduleRetry);

  function handIn() {
    if (handingIn) return;
    handingIn = true;
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    var unanswered = form.querySelectorAll("fieldset.question").length - Array.prototype.filter.call(
      form.querySelectorAll("fieldset.question"), function (f) { return answerOf(f) !== ""; }).length;
    var question = text("confirm") + (unanswered ? " (" + unanswered + " " + text("unanswered") + ")" : "");
    if (!handingIn && !window.confirm(question)) { event.preventDefault(); return; }
    handingIn = true;
  });

  var timer = document.getElementById("exam-timer");
  var ends = Date.now() + parseInt(timer.dataset.remaining, 10) * 1000;
  function tick() {
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    timer.classList.toggle("urgent", left <= 300);
    if (left === 0) { handIn(); return; }
    setTimeout(tick, 1000);
  }
  tick();
  progress();
})();
