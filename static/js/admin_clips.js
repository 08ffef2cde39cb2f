// Live progress on the admin clips page: every row still processing asks
// the admin API for its clip once a second and shows the percent done, the
// failure reason, or a link once the rendition is ready.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-status="processing"]'));
  if (!rows.length) return;

  function show(row, clip) {
    var cell = row.querySelector(".clip-status");
    row.setAttribute("data-status", clip.status);
    cell.textContent = "";
    if (clip.status === "processing") {
      cell.appendChild(document.createTextNode("processing "));
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = clip.progress;
      bar.textContent = clip.progress + "%";
      cell.appendChild(bar);
      cell.appendChild(document.createTextNode(" " + clip.progress + "%"));
    } else if (clip.status === "failed") {
      var bad = document.createElement("span");
      bad.className = "bad";
      bad.textContent = "failed: " + (clip.error || "unknown reason");
      cell.appendChild(bad);
    } else {
      cell.textContent = "ready";
      var id = row.querySelector("td");
      var a = document.createElement("a");
      a.href = "/media/" + clip.public_id;
      a.textContent = clip.public_id;
      id.textContent = "";
      id.appendChild(a);
      var cells = row.querySelectorAll("td");
      cells[4].textContent = clip.size;
      cells[6].textContent = clip.width + "×" + clip.height + (clip.has_audio ? " · sound" : "");
      cells[8].textContent = clip.rendition_profile || "";
    }
  }

  function poll() {
    rows = rows.filter(function (row) { return row.getAttribute("data-status") === "processing"; });
    if (!rows.length) return;
    Promise.all(rows.map(function (row) {
      return fetch("/api/v1/admin/clips/" + encodeURIComponent(row.getAttribute("data-clip")), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (clip) { if (clip) show(row, clip); })
        .catch(function () {});
    })).then(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
