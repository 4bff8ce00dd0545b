/* A background job's page (officer import, bulk review): polls the job until it finishes, then reloads to show
   the outcome. The box carries data-status-url and data-finished; its <progress> and [data-percent] follow. */
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box || box.dataset.finished) { return; }
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-percent]");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      bar.value = data.percent;
      percent.textContent = data.percent + "%";
      if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
    });
  }
  setTimeout(poll, 1000);
})();
