// Arena voter page: fair synced playback, keyboard shortcuts, the in-place
// reveal, skipping and reporting (a clip that fails to play is reported by
// itself) and a preloaded next matchup. Without this script the page still
// works: the clips autoplay with native controls and the vote is a plain form.
(function () {
  "use strict";
  var arena = document.getElementById("arena");
  if (!arena) return;

  var $ = function (id) { return document.getElementById(id); };
  var form = $("vote-form");
  var skipForm = $("skip-form");
  var afterVote = $("after-vote");
  var nextBtn = $("next");
  var summary = $("choice-summary");
  var live = $("live");
  var notice = $("notice");
  var noticeText = $("notice-text");
  var noticeAction = $("notice-action");
  var hint = $("lock-hint");
  var hintText = $("lock-text");
  var progress = $("watch-progress");
  var playToggle = $("play-toggle");
  var buttons = form ? Array.prototype.slice.call(form.querySelectorAll("button[name=choice]")) : [];
  var labels = { a: "A is better", b: "B is better", tie: "Tie", both_bad: "Both are bad" };
  var keys = { "1": "a", "2": "b", "3": "tie", "4": "both_bad", ArrowLeft: "a", ArrowRight: "b", ArrowUp: "tie", ArrowDown: "both_bad" };
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // DRIFT is how far apart (seconds) the clips may get before we re-sync
  // them; RESYNC_GAP keeps a slow decoder from being seeked in a loop.
  var DRIFT = 0.15, RESYNC_GAP = 1000, TICK = 100;
  var minWatch = parseInt(arena.getAttribute("data-min-watch-ms"), 10);
  if (!(minWatch >= 0)) minWatch = 3000;

  var matchupId = arena.getAttribute("data-matchup-id");
  var state = arena.getAttribute("data-state"); // voting | sending | revealed | loading
  var sides = ["a", "b"];
  var videos = { a: $("clip-a"), b: $("clip-b") };

  // The round is one showing of a matchup: both clips start together, and
  // voting unlocks when both have played through once or after minWatch of
  // joint playing, whichever comes first.
  var round = null;
  var userPaused = false;
  var lastResync = 0;
  var resyncs = 0;
  var next = null; // {promise, matchup, videos, error} for the preloaded next matchup

  $("playback").hidden = false;
  sides.forEach(function (s) {
    var v = videos[s];
    takeOver(v);
    bind(v, s);
    $("fullscreen-" + s).hidden = !(v.requestFullscreen || v.webkitEnterFullscreen);
  });
  setSoundButtons();

  // takeOver replaces the no-script defaults: we loop both clips together
  // and offer our own controls.
  function takeOver(v) {
    v.loop = false;
    v.controls = false;
    v.autoplay = false;
    v.muted = true;
  }

  function bind(v, side) {
    v.addEventListener("ended", function () { onEnded(side); });
    // A clip that cannot be decoded or fetched is reported broken, and the
    // voter moves on: a dead box must never be voted on. Code 1 is an abort
    // we caused ourselves by swapping clips.
    v.addEventListener("error", function () {
      if (videos[side] === v && v.error && v.error.code !== 1 && state === "voting") skip("broken", side);
    });
    ["canplay", "loadeddata", "playing", "error"].forEach(function (ev) { v.addEventListener(ev, maybeStart); });
  }

  function other(side) { return side === "a" ? "b" : "a"; }
  function broken(v) { return !!v.error; }
  function ready(v) { return v.readyState >= 3 || broken(v); }

  function newRound() {
    round = { started: false, ended: { a: false, b: false }, played: { a: false, b: false }, watched: 0, lastTick: 0, unlocked: false };
    userPaused = false;
    setPlayLabel();
    arena.setAttribute("data-unlocked", "false");
    updateLock();
    maybeStart();
    reportFailed();
  }

  // reportFailed reports a clip that failed before bind listened for its
  // error: the first page's clips start loading before this deferred
  // script runs, and a preloaded clip may fail while it waits off the page.
  // Its error event has come and gone, so it would otherwise never be
  // reported and the voter would face a dead box.
  function reportFailed() {
    sides.forEach(function (s) {
      var v = videos[s];
      if (v.error && v.error.code !== 1) skip("broken", s);
    });
  }

  // maybeStart starts both clips from zero once both can play.
  function maybeStart() {
    if (!round || round.started) return;
    if (!ready(videos.a) || !ready(videos.b)) {
      sides.forEach(function (s) { if (!videos[s].paused) videos[s].pause(); });
      return;
    }
    round.started = true;
    arena.setAttribute("data-playing", "true");
    restartBoth();
  }

  function playBoth() {
    sides.forEach(function (s) {
      var v = videos[s];
      if (!broken(v) && !round.ended[s]) tryPlay(v);
    });
  }

  // tryPlay starts a clip. A browser that refuses to autoplay even muted
  // video (a phone saving power) gets the clips paused and the voter asked to
  // press Play both, which counts as the gesture it wants.
  function tryPlay(v) {
    v.play().catch(function (e) {
      if (!e || e.name !== "NotAllowedError" || userPaused) return;
      userPaused = true;
      pauseBoth();
      setPlayLabel();
      updateLock();
    });
  }

  function pauseBoth() { sides.forEach(function (s) { videos[s].pause(); }); }

  function restartBoth() {
    sides.forEach(function (s) {
      round.ended[s] = false;
      if (!broken(videos[s])) videos[s].currentTime = 0;
    });
    if (!userPaused) playBoth();
  }

  // onEnded loops the pair: the clip that ends first waits on its last frame
  // until the other ends, then both restart together.
  function onEnded(side) {
    if (!round) return;
    round.ended[side] = true;
    round.played[side] = true;
    var o = other(side);
    if (round.ended[o] || broken(videos[o])) {
      if (broken(videos[o])) round.played[o] = true;
      updateLock();
      restartBoth();
    }
  }

  // stalled reports whether a live clip cannot play on right now.
  function stalled(side) {
    var v = videos[side];
    return !broken(v) && !round.ended[side] && (v.readyState < 3 || v.seeking);
  }

  // tick keeps the pair fair, ten times a second: a clip that stalls holds
  // the other one, so neither gets a head start; clips that drift apart are
  // pulled back together; and it counts the time both clips were watched.
  function tick() {
    if (!round) return;
    var at = performance.now(), since = round.lastTick;
    round.lastTick = 0;
    if (!round.started || userPaused) return;
    var a = videos.a, b = videos.b;
    if (stalled("a") || stalled("b")) {
      sides.forEach(function (s) { if (!stalled(s) && !videos[s].paused) videos[s].pause(); });
      arena.setAttribute("data-held", "true");
      return;
    }
    arena.removeAttribute("data-held");
    sides.forEach(function (s) {
      var v = videos[s];
      if (!broken(v) && !round.ended[s] && v.paused) tryPlay(v);
    });
    var bothPlaying = !a.paused && !b.paused;
    if (bothPlaying || broken(a) || broken(b) || round.ended.a || round.ended.b) {
      // Watch time is the real time between two ticks that both saw the
      // pair playing, not a count of ticks: the first tick of a round can
      // come at once, and counted as a whole tick it opened the vote up to
      // a tick before the server's watch time ran out, so the vote was
      // stored as too fast and named no models.
      if (since) round.watched += at - since;
      round.lastTick = at;
      updateLock();
    }
    if (bothPlaying && Math.abs(a.currentTime - b.currentTime) > DRIFT) {
      var now = Date.now();
      if (now - lastResync >= RESYNC_GAP) {
        lastResync = now;
        resyncs++;
        arena.setAttribute("data-resyncs", String(resyncs));
        // Pull the leader back: its past is buffered, the laggard's future may not be.
        var lead = a.currentTime > b.currentTime ? a : b;
        lead.currentTime = Math.min(a.currentTime, b.currentTime);
      }
    }
  }
  setInterval(tick, TICK);

  function unlocked() {
    return !!round && (round.unlocked || (round.played.a && round.played.b) || round.watched >= minWatch);
  }

  function updateLock() {
    if (state !== "voting" || !round) return;
    var open = unlocked();
    if (open && !round.unlocked) {
      round.unlocked = true;
      arena.setAttribute("data-unlocked", "true");
      say("Voting is open.");
    }
    buttons.forEach(function (b) { b.setAttribute("aria-disabled", open ? "false" : "true"); });
    hint.hidden = open;
    if (open) return;
    var left = Math.max(0, Math.ceil((minWatch - round.watched) / 1000));
    hintText.textContent = !round.started
      ? "Voting opens once both clips are loaded and have played for a moment."
      : userPaused
        ? "The clips are paused: press Play both to watch them. Voting opens when both have played through, or after " + left + " s more."
        : "Voting opens when both clips have played through, or in " + left + " s.";
    progress.value = minWatch > 0 ? Math.min(1, round.watched / minWatch) : 1;
  }

  var sayTimer = 0;
  function say(msg) {
    hush();
    // Emptying first makes screen readers announce even a repeated message.
    sayTimer = setTimeout(function () { live.textContent = msg; }, 50);
  }
  function hush() {
    clearTimeout(sayTimer);
    live.textContent = "";
  }

  function setPlayLabel() {
    // The label names the action; a changing label plus aria-pressed would
    // say the same thing twice to a screen reader.
    playToggle.querySelector(".label").textContent = userPaused ? "Play both" : "Pause both";
  }

  function togglePlay() {
    if (!round) return;
    userPaused = !userPaused;
    if (userPaused) pauseBoth();
    else {
      var t = Math.min(videos.a.currentTime || 0, videos.b.currentTime || 0);
      sides.forEach(function (s) { if (!round.ended[s] && !broken(videos[s])) videos[s].currentTime = t; });
      playBoth();
    }
    setPlayLabel();
    updateLock();
  }

  playToggle.addEventListener("click", togglePlay);
  $("restart").addEventListener("click", function () { if (round) { userPaused = false; setPlayLabel(); restartBoth(); } });

  // Sound: one clip at a time, and only where the clips have sound.
  function setSoundButtons() {
    sides.forEach(function (s) {
      var btn = $("sound-" + s);
      var on = !videos[s].muted;
      btn.hidden = videos[s].getAttribute("data-has-audio") !== "true";
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.querySelector(".state").textContent = on ? "on" : "off";
    });
  }
  sides.forEach(function (s) {
    $("sound-" + s).addEventListener("click", function () {
      var on = videos[s].muted;
      videos.a.muted = true;
      videos.b.muted = true;
      videos[s].muted = !on;
      setSoundButtons();
    });
    $("fullscreen-" + s).addEventListener("click", function () {
      var v = videos[s];
      if (v.requestFullscreen) v.requestFullscreen().catch(function () {});
      else if (v.webkitEnterFullscreen) v.webkitEnterFullscreen();
    });
  });

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
      var err = new Error("The network failed: check your connection, then try again.");
      err.status = 0;
      throw err;
    });
  }

  // sentence turns a server message ("no matchup can be made yet: ...")
  // into a sentence for the notice.
  function sentence(msg) {
    msg = msg.charAt(0).toUpperCase() + msg.slice(1);
    return /[.!?]$/.test(msg) ? msg : msg + ".";
  }

  function showNotice(msg, actionLabel, action) {
    noticeText.textContent = msg;
    noticeAction.textContent = actionLabel;
    noticeAction.onclick = function () { notice.hidden = true; action(); };
    notice.hidden = false;
    noticeAction.focus();
  }

  function revealSide(side, r, choice) {
    var el = $("reveal-" + side);
    el.textContent = "";
    $("side-" + side).classList.toggle("chosen", choice === side);
    if (!r) { // a vote that does not count reveals nothing
      if (choice === side) el.appendChild(badge("pick", "Your pick"));
      return;
    }
    var name = document.createElement("strong");
    name.className = "model-name";
    name.textContent = r.model.name;
    var org = document.createElement("span");
    org.className = "org";
    org.textContent = r.model.organization;
    el.appendChild(name);
    el.appendChild(document.createTextNode(" "));
    el.appendChild(org);
    if (r.rank) el.appendChild(badge("rank", "#" + r.rank + " on the leaderboard"));
    if (choice === side) el.appendChild(badge("pick", "Your pick"));
    $("side-" + side).classList.toggle("chosen", choice === side);
  }

  function badge(kind, text) {
    var b = document.createElement("span");
    b.className = "badge " + kind;
    b.textContent = text;
    var frag = document.createDocumentFragment();
    frag.appendChild(document.createTextNode(" "));
    frag.appendChild(b);
    return frag;
  }

  // unrevealed is said after a vote that does not count (cast before the
  // clips could be watched, say): the server names no models then.
  var unrevealed = "Your vote is recorded; the models are named only after votes cast once both clips have played.";

  function describe(r) {
    return r.model.name + " (" + r.model.organization + (r.rank ? ", rank " + r.rank : "") + ")";
  }

  function vote(choice) {
    if (state !== "voting") return;
    if (!unlocked()) {
      hint.classList.remove("nudge");
      void hint.offsetWidth; // restart the nudge animation
      hint.classList.add("nudge");
      say(hintText.textContent);
      return;
    }
    state = "sending";
    arena.setAttribute("data-state", state);
    buttons.forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    notice.hidden = true;
    api("/api/v1/matchups/" + encodeURIComponent(matchupId) + "/vote", { choice: choice }).then(function (res) {
      state = "revealed";
      arena.setAttribute("data-state", state);
      revealSide("a", res.a, choice);
      revealSide("b", res.b, choice);
      summary.textContent = "";
      summary.appendChild(document.createTextNode("You chose "));
      var s = document.createElement("strong");
      s.textContent = labels[choice];
      summary.appendChild(s);
      summary.appendChild(document.createTextNode("."));
      if (res.a && res.b) {
        say("You chose " + labels[choice] + ". Clip A was made by " + describe(res.a) + ". Clip B was made by " + describe(res.b) + ".");
      } else {
        summary.appendChild(document.createTextNode(" " + unrevealed));
        say("You chose " + labels[choice] + ". " + unrevealed);
      }
      form.hidden = true;
      if (skipForm) skipForm.hidden = true;
      afterVote.hidden = false;
      nextBtn.focus({ preventScroll: true });
      afterVote.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
      preloadNext();
    }, function (err) {
      sendFailed(err, function () { vote(choice); });
    });
  }

  // sendFailed handles a vote or skip the server refused: when the matchup
  // is gone (404, 409, 410) the voter moves on; otherwise they may try
  // again with retry.
  function sendFailed(err, retry) {
    if (err.status === 404 || err.status === 409 || err.status === 410) {
      state = "revealed";
      arena.setAttribute("data-state", state);
      showNotice(sentence(err.message), "Next matchup", loadNext);
      return;
    }
    state = "voting";
    arena.setAttribute("data-state", state);
    updateLock();
    showNotice(sentence(err.message), "Try again", retry);
  }

  // skip closes the matchup without a vote and moves on. side names the
  // reported clip ("" for both, or for a plain skip).
  function skip(reason, side) {
    if (state !== "voting") return;
    state = "sending";
    arena.setAttribute("data-state", state);
    notice.hidden = true;
    var body = { reason: reason };
    if (side) body.side = side;
    api("/api/v1/matchups/" + encodeURIComponent(matchupId) + "/skip", body).then(function () {
      state = "revealed";
      say(reason === "broken" ? "A clip did not play; it was reported. Here is another matchup." : "Skipped. Here is another matchup.");
      loadNext();
    }, function (err) {
      sendFailed(err, function () { skip(reason, side); });
    });
  }

  // makeVideo builds a clip element that starts loading at once, detached,
  // so the next matchup is buffered while the voter reads the reveal.
  function makeVideo(clip, side) {
    var v = document.createElement("video");
    v.muted = true;
    v.playsInline = true;
    v.setAttribute("playsinline", "");
    v.preload = "auto";
    v.setAttribute("aria-label", "Clip " + side.toUpperCase());
    v.setAttribute("data-duration-ms", String(clip.duration_ms));
    v.setAttribute("data-has-audio", clip.has_audio ? "true" : "false");
    if (clip.poster_url) v.poster = clip.poster_url;
    v.src = clip.video_url;
    v.load();
    return v;
  }

  function preloadNext() {
    var n = { matchup: null, videos: null, error: null };
    arena.setAttribute("data-next", "loading");
    n.promise = api("/api/v1/matchups").then(function (m) {
      n.matchup = m;
      n.videos = { a: makeVideo(m.a, "a"), b: makeVideo(m.b, "b") };
      if (m.prompt.image_url) new Image().src = m.prompt.image_url;
      var loaded = 0;
      sides.forEach(function (s) {
        var v = n.videos[s];
        var done = function () {
          v.removeEventListener("canplaythrough", done);
          v.removeEventListener("error", done);
          if (++loaded === 2 && next === n) arena.setAttribute("data-next", "ready");
        };
        v.addEventListener("canplaythrough", done);
        v.addEventListener("error", done);
      });
      return n;
    }, function (err) {
      n.error = err;
      if (next === n) arena.setAttribute("data-next", "failed");
      throw err;
    });
    n.promise.catch(function () {});
    next = n;
  }

  function loadNext() {
    if (state === "loading") return;
    if (!next || next.error) preloadNext();
    var n = next;
    state = "loading";
    arena.setAttribute("data-state", state);
    n.promise.then(show, function (err) {
      next = null;
      state = "revealed";
      arena.setAttribute("data-state", state);
      showNotice(sentence(err.message), "Try again", loadNext);
    });
  }

  // show swaps in the preloaded matchup: its clip elements replace the old
  // ones, already buffered.
  function show(n) {
    var m = n.matchup;
    next = null;
    matchupId = m.id;
    arena.setAttribute("data-matchup-id", m.id);
    arena.removeAttribute("data-next");
    $("prompt-text").textContent = m.prompt.text;
    $("pool-label").textContent = m.pool;
    $("category-label").textContent = m.prompt.category;
    var fig = $("source-image"), img = $("source-image-img");
    if (m.prompt.image_url) { img.src = m.prompt.image_url; fig.hidden = false; } else { fig.hidden = true; img.removeAttribute("src"); }
    sides.forEach(function (s) {
      var old = videos[s], v = n.videos[s];
      old.pause();
      old.removeAttribute("src");
      old.load();
      v.id = "clip-" + s;
      takeOver(v);
      bind(v, s);
      old.parentNode.replaceChild(v, old);
      videos[s] = v;
      var r = $("reveal-" + s);
      r.textContent = "";
      $("side-" + s).classList.remove("chosen");
    });
    setSoundButtons();
    form.action = "/matchups/" + encodeURIComponent(m.id) + "/vote";
    form.hidden = false;
    if (skipForm) {
      skipForm.action = "/matchups/" + encodeURIComponent(m.id) + "/skip";
      skipForm.hidden = false;
      var details = skipForm.querySelector("details");
      if (details) details.open = false;
    }
    afterVote.hidden = true;
    notice.hidden = true;
    summary.textContent = "";
    hush(); // the last announcement named the previous pair's models
    state = "voting";
    arena.setAttribute("data-state", state);
    $("prompt-text").focus({ preventScroll: true });
    arena.scrollIntoView({ block: "start", behavior: reduceMotion ? "auto" : "smooth" });
    newRound();
  }

  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var b = ev.submitter;
      if (b && b.value) vote(b.value);
    });
    nextBtn.addEventListener("click", loadNext);
  }
  if (skipForm) {
    skipForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var b = ev.submitter;
      if (b && b.value) skip(b.value, "");
    });
  }

  function typing(t) {
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(ev.target)) return;
    var t = ev.target;
    var onControl = t && /^(BUTTON|A|SUMMARY)$/.test(t.tagName);
    if (state === "voting" && keys[ev.key]) { ev.preventDefault(); vote(keys[ev.key]); return; }
    if (state === "voting" && (ev.key === "s" || ev.key === "S")) { ev.preventDefault(); skip("cant_decide", ""); return; }
    if (ev.key === " " && !onControl) { ev.preventDefault(); togglePlay(); return; }
    if ((ev.key === "r" || ev.key === "R") && round) { ev.preventDefault(); $("restart").click(); return; }
    if (state === "revealed" && (ev.key === "n" || ev.key === "N" || (ev.key === "Enter" && !onControl))) {
      ev.preventDefault();
      nextBtn.click();
    }
  });

  newRound();
  // Clips that loaded before this script ran fire no more events.
  maybeStart();
})();
