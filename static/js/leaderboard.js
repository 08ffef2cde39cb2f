// Sorts the leaderboard tables in place when a column header is clicked.
// Without JavaScript the header links ask the server for the sorted page.
(function () {
  "use strict";
  var natural = { rank: 1, model: 1, ci: 1 }; // ascending first; the rest best-first descending
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.querySelectorAll("th[data-sort]");
    heads.forEach(function (th, col) {
      var link = th.querySelector("a");
      var target = link || th;
      if (!link) { th.tabIndex = 0; }
      function sort(ev) {
        if (ev) { ev.preventDefault(); }
        var key = th.getAttribute("data-sort");
        var asc = th.getAttribute("aria-sort") === "ascending" ? false :
          th.getAttribute("aria-sort") === "descending" ? true : !!natural[key];
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-value"), y = b.cells[col].getAttribute("data-value");
          var nx = parseFloat(x), ny = parseFloat(y), c;
          c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      target.addEventListener("click", sort);
      if (!link) {
        th.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { sort(ev); } });
      }
    });
  });
})();
