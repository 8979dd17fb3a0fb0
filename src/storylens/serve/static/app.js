// storylens web app: live job progress (server-sent events). Pages work without it.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !window.EventSource) { return; }
  var id = box.getAttribute("data-job");
  var terminal = { done: true, failed: true, cancelled: true };
  if (terminal[box.getAttribute("data-state")]) { return; }
  var stateEl = document.getElementById("job-state");
  var phaseEl = document.getElementById("job-phase");
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var source = new EventSource("/api/jobs/" + encodeURIComponent(id) + "/events");
  source.addEventListener("progress", function (ev) {
    var job = JSON.parse(ev.data);
    stateEl.textContent = job.state;
    phaseEl.textContent = job.phase || "";
    if (job.total) { bar.max = job.total; bar.value = job.done; } else { bar.removeAttribute("value"); }
    count.textContent = job.done + " of " + job.total;
    box.setAttribute("data-state", job.state);
  });
  source.addEventListener("end", function () {
    source.close();
    // the finished job's page lists what was added, with links to its stories
    window.location.reload();
  });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) { window.location.reload(); }
  };
})();
