// Arena voter page: synced playback, keyboard shortcuts, in-place reveal and a
// preloaded next matchup. Without this script the page still works through
// its plain form.
(function () {
  "use strict";
  var arena = document.getElementById("arena");
  if (!arena) return;
  var form = document.getElementById("vote-form");
  var videos = [document.getElementById("clip-a"), document.getElementById("clip-b")];
  var playToggle = document.getElementById("play-toggle");
  var restart = document.getElementById("restart");
  var afterVote = document.getElementById("after-vote");
  var nextBtn = document.getElementById("next");
  var statusEl = document.getElementById("reveal-status");
  var errorEl = document.getElementById("error");
  var hint = document.getElementById("lock-hint");
  var buttons = form ? Array.prototype.slice.call(form.querySelectorAll("button[name=choice]")) : [];
  var labels = { a: "A is better", b: "B is better", tie: "Tie", both_bad: "Both are bad" };
  var keys = { "1": "a", "2": "b", "3": "tie", "4": "both_bad", ArrowLeft: "a", ArrowRight: "b", ArrowUp: "tie", ArrowDown: "both_bad" };
  var matchupId = arena.getAttribute("data-matchup-id");
  var state = arena.getAttribute("data-state"); // voting | sending | revealed
  var next = null;      // the preloaded next matchup
  var nextError = null; // why preloading failed
  var preloaders = [];

  playToggle.hidden = false;
  restart.hidden = false;

  function api(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var err = new Error(data.error || ("The server answered " + res.status + "."));
          err.status = res.status;
          throw err;
        }
        return data;
      });
    }, function () {
      throw new Error("The network failed. Check your connection and retry.");
    });
  }

  function showError(msg, retry) {
    errorEl.textContent = msg + " ";
    if (retry) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = "Retry";
      b.addEventListener("click", function () { errorEl.hidden = true; retry(); });
      errorEl.appendChild(b);
    }
    errorEl.hidden = false;
  }

  // Voting stays locked until both clips can play, so nobody judges a clip
  // they could not see.
  function playable() {
    return videos.every(function (v) { return v.readyState >= 3 || v.error; });
  }
  var started = false;
  function updateLock() {
    if (state !== "voting") return;
    var ok = playable();
    // Both clips start together: the one that loaded first waits for the other.
    if (ok && !started) { started = true; videos.forEach(function (v) { v.currentTime = 0; }); if (!paused) playBoth(); }
    buttons.forEach(function (b) { b.disabled = !ok; });
    if (hint) hint.hidden = ok;
  }
  videos.forEach(function (v) {
    ["canplay", "canplaythrough", "loadeddata", "error"].forEach(function (ev) { v.addEventListener(ev, updateLock); });
    // When one clip stalls, hold the other so both stay in step.
    v.addEventListener("waiting", function () { videos.forEach(function (o) { if (o !== v) o.pause(); }); });
    v.addEventListener("playing", function () { if (!paused) videos.forEach(function (o) { if (o !== v && o.paused) o.play().catch(function () {}); }); });
  });

  var paused = false;
  function playBoth() {
    paused = false;
    var t = Math.min(videos[0].currentTime || 0, videos[1].currentTime || 0);
    videos.forEach(function (v) { v.currentTime = t; v.play().catch(function () {}); });
    playToggle.textContent = "Pause both";
  }
  function pauseBoth() {
    paused = true;
    videos.forEach(function (v) { v.pause(); });
    playToggle.textContent = "Play both";
  }
  playToggle.addEventListener("click", function () { if (paused) playBoth(); else pauseBoth(); });
  restart.addEventListener("click", function () {
    videos.forEach(function (v) { v.currentTime = 0; });
    playBoth();
  });

  function setReveal(side, model) {
    var el = document.getElementById("reveal-" + side);
    el.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = model.name;
    var org = document.createElement("span");
    org.textContent = model.organization;
    el.appendChild(strong);
    el.appendChild(org);
  }

  function vote(choice) {
    if (state !== "voting" || !playable()) return;
    state = "sending";
    buttons.forEach(function (b) { b.disabled = true; });
    api("/api/v1/matchups/" + encodeURIComponent(matchupId) + "/vote", { choice: choice }).then(function (res) {
      state = "revealed";
      arena.setAttribute("data-state", "revealed");
      setReveal("a", res.a.model);
      setReveal("b", res.b.model);
      if (choice === "a" || choice === "b") document.getElementById("side-" + choice).classList.add("chosen");
      statusEl.textContent = "You chose " + labels[choice] + ". A: " + res.a.model.name + ", B: " + res.b.model.name + ".";
      form.hidden = true;
      afterVote.hidden = false;
      nextBtn.focus();
      preloadNext();
    }, function (err) {
      if (err.status === 409 || err.status === 410 || err.status === 404) {
        state = "revealed";
        showError(err.message, loadNext);
        return;
      }
      state = "voting";
      updateLock();
      showError(err.message, function () { vote(choice); });
    });
  }

  function preloadNext() {
    next = null;
    nextError = null;
    api("/api/v1/matchups").then(function (m) {
      next = m;
      // Warm the browser cache so Next shows both clips at once.
      preloaders = [m.a.video_url, m.b.video_url].map(function (src) {
        var v = document.createElement("video");
        v.preload = "auto";
        v.muted = true;
        v.src = src;
        return v;
      });
    }, function (err) { nextError = err; });
  }

  function show(m) {
    matchupId = m.id;
    arena.setAttribute("data-matchup-id", m.id);
    document.getElementById("prompt-text").textContent = m.prompt.text;
    document.getElementById("pool-label").textContent = m.pool;
    document.getElementById("category-label").textContent = m.prompt.category;
    var fig = document.getElementById("source-image");
    var img = document.getElementById("source-image-img");
    if (m.prompt.image_url) { img.src = m.prompt.image_url; fig.hidden = false; } else { fig.hidden = true; img.removeAttribute("src"); }
    videos[0].src = m.a.video_url;
    videos[0].setAttribute("data-duration-ms", m.a.duration_ms);
    videos[1].src = m.b.video_url;
    videos[1].setAttribute("data-duration-ms", m.b.duration_ms);
    ["a", "b"].forEach(function (s) {
      document.getElementById("reveal-" + s).textContent = "";
      document.getElementById("side-" + s).classList.remove("chosen");
    });
    form.action = "/matchups/" + m.id + "/vote";
    form.hidden = false;
    afterVote.hidden = true;
    errorEl.hidden = true;
    statusEl.textContent = "";
    state = "voting";
    arena.setAttribute("data-state", "voting");
    preloaders = [];
    started = false;
    updateLock();
  }

  function loadNext() {
    if (next) { var m = next; next = null; show(m); return; }
    if (nextError && nextError.status === 503) { window.location.reload(); return; }
    api("/api/v1/matchups").then(show, function (err) { showError(err.message, loadNext); });
  }

  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var b = ev.submitter;
      if (b && b.value) vote(b.value);
    });
    nextBtn.addEventListener("click", loadNext);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (state === "voting" && keys[ev.key]) { ev.preventDefault(); vote(keys[ev.key]); return; }
    if (state === "revealed" && (ev.key === "Enter" || ev.key === "n") && form && t !== nextBtn) { ev.preventDefault(); loadNext(); }
  });

  updateLock();
})();
