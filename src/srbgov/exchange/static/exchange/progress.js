// Polls the import job's progress while a worker runs it (docs/import.md §4); when the
// job is at rest the page reloads to show the preview or the result.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = document.getElementById("job-progress-text");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (!job.running) { window.location.reload(); return; }
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        text.textContent = text.textContent.replace(/\d+ \/ \d+/, job.done + " / " + job.total);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
