/* The officer import job page: polls the job until it finishes, then reloads to show the outcome. */
(function () {
  var box = document.getElementById("import-job");
  if (box.dataset.finished) { return; }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("import-progress").value = data.percent;
      document.getElementById("import-percent").textContent = data.percent + "%";
      if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
    });
  }
  setTimeout(poll, 1000);
})();
