// A board's live view (the board page and the student view): plot, checklist, console,
// sign-offs, and a virtual board's sensor panel.
"use strict";
(function () {
  const root = document.getElementById("live");
  if (!root) return;
  const page = JSON.parse(root.dataset.page);
  const facilitator = root.dataset.role === "facilitator";
  const WINDOW_S = 30;       // seconds of readings on the plot
  const MAX_POINTS = 1500;
  const FRAME_MS = 50;       // 20 plot updates a second
  const SPOKEN_MS = 10000;   // the screen reader hears the latest values at most this often
  const COLOURS = ["#0b4fa8", "#c2410c", "#0f7a3a", "#7c3aed", "#b91c1c", "#0e7490", "#854d0e", "#be185d"];
  let board = null;

  // -- the plot ---------------------------------------------------------------------------
  const plotBox = document.getElementById("plot");
  let plot = null, names = [], xs = [], ys = [], dirty = false, lastT = -1;
  let latest = {}, latestShown = 0, latestSpoken = 0;

  function unitOf(name) {
    const sensor = page.sensors[name];
    return sensor && sensor.unit ? sensor.unit : "";
  }

  function makePlot() {
    if (plot) { plot.destroy(); plot = null; }
    const units = [];
    names.forEach(function (n) { if (units.indexOf(unitOf(n)) < 0) units.push(unitOf(n)); });
    const scales = { x: { time: false } };
    const axes = [{ label: "board time (s)", stroke: "#1a1a1a", grid: { stroke: "#e3e6ea" } }];
    units.forEach(function (unit, i) {
      const key = unit || "value";
      scales[key] = { auto: true };
      axes.push({ scale: key, label: unit || "value", side: i % 2 ? 1 : 3, stroke: "#1a1a1a",
                  grid: { show: i === 0, stroke: "#e3e6ea" } });
    });
    const series = [{ label: "t (s)" }].concat(names.map(function (n, i) {
      const unit = unitOf(n);
      return { label: unit ? n + " (" + unit + ")" : n, scale: unit || "value",
               stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: false } };
    }));
    plot = new uPlot({ width: Math.max(plotBox.clientWidth, 300), height: 320, scales: scales,
                       axes: axes, series: series, cursor: { drag: { x: false } } },
                     [xs].concat(ys), plotBox);
  }

  function addReading(data) {
    const t = data.t_ms / 1000;
    if (t < lastT) { xs = []; ys = ys.map(function () { return []; }); }  // the board restarted
    lastT = t;
    const keys = Object.keys(data.values);
    const fresh = keys.filter(function (k) { return names.indexOf(k) < 0; });
    if (fresh.length) {
      fresh.forEach(function (k) { names.push(k); ys.push(xs.map(function () { return null; })); });
      makePlot();
    }
    xs.push(t);
    names.forEach(function (n, i) { ys[i].push(n in data.values ? data.values[n] : null); });
    while (xs.length > MAX_POINTS || (xs.length && xs[0] < t - WINDOW_S)) {
      xs.shift(); ys.forEach(function (y) { y.shift(); });
    }
    latest = data.values;
    dirty = true;
  }

  function describe(values) {
    return Object.keys(values).map(function (k) {
      const unit = unitOf(k);
      return k + " " + values[k] + (unit ? " " + unit : "");
    }).join(", ");
  }

  setInterval(function () {
    if (!dirty) return;
    dirty = false;
    if (plot) plot.setData([xs].concat(ys));
    const now = Date.now();
    if (now - latestShown > 250) { latestShown = now; wk.say("latest", describe(latest)); }
    if (now - latestSpoken > SPOKEN_MS) { latestSpoken = now; wk.say("latest-live", "Latest values: " + describe(latest)); }
  }, FRAME_MS);
  window.addEventListener("resize", function () {
    if (plot) plot.setSize({ width: Math.max(plotBox.clientWidth, 300), height: 320 });
  });

  // -- the checklist, console, state ------------------------------------------------------
  const taskList = document.getElementById("tasks");
  const consoleBox = document.getElementById("console");
  let shownTasks = "";

  function taskItem(task) {
    const li = document.createElement("li");
    li.dataset.task = task.id;
    const box = document.createElement("span"); box.className = "box"; box.setAttribute("aria-hidden", "true");
    const title = document.createElement("span"); title.className = "title"; title.textContent = task.title;
    const word = document.createElement("span"); word.className = "sr-only state-word";
    const detail = document.createElement("span"); detail.className = "detail";
    li.append(box, title, word, detail);
    if (facilitator && page.facilitator_tasks.indexOf(task.id) >= 0) {
      const button = document.createElement("button");
      button.type = "button"; button.className = "signoff"; button.dataset.task = task.id;
      button.textContent = "Sign off";
      li.append(button);
    }
    return li;
  }

  function tick(li, task) {
    li.className = "task task-" + task.state;
    li.querySelector(".box").textContent = task.state === "done" ? "✔" : task.state === "failed" ? "✘" : "○";
    li.querySelector(".state-word").textContent = task.state;
    li.querySelector(".detail").textContent = task.detail || "";
    const button = li.querySelector(".signoff");
    if (button) button.hidden = task.state === "done";
  }

  function showTasks(tasks) {
    const ids = tasks.map(function (t) { return t.id; }).join(" ");
    if (ids !== shownTasks) {
      shownTasks = ids;
      taskList.replaceChildren.apply(taskList, tasks.map(taskItem));
    }
    tasks.forEach(function (t) {
      const li = taskList.querySelector('li[data-task="' + CSS.escape(t.id) + '"]');
      if (li) tick(li, t);
    });
    const done = tasks.filter(function (t) { return t.state === "done"; }).length;
    wk.say("task-count", tasks.length ? "(" + done + " of " + tasks.length + " done)" : "");
  }

  function showBoard(status) {
    if (board && status.run !== page.run && status.run !== null) {
      window.location.reload();  // a new run: its activity's tasks and instructions
      return;
    }
    board = status;
    const state = document.getElementById("board-state");
    state.textContent = status.state;
    state.className = "state state-" + status.state.replace(/ /g, "-");
    wk.say("board-problem", status.problem || "");
    if (status.tasks.length) showTasks(status.tasks);
    document.getElementById("completed").hidden = status.outcome !== "complete";
    const stop = document.getElementById("stop");
    if (stop) stop.hidden = status.state !== "running";
    if (status.state === "error") showTraceback(status.problem);
  }

  function showTraceback(text) {
    if (!text) return;
    const tb = document.getElementById("traceback");
    tb.textContent = text;
    tb.hidden = false;
    document.getElementById("traceback-heading").hidden = false;
  }

  function consoleLine(text) {
    consoleBox.append(text + "\n");
    while (consoleBox.childNodes.length > 300) consoleBox.removeChild(consoleBox.firstChild);
    consoleBox.scrollTop = consoleBox.scrollHeight;
  }

  wk.follow("/api/events?board=" + encodeURIComponent(page.board), {
    snapshot: function (boards) { boards.forEach(function (b) { if (b.name === page.board) showBoard(b); }); },
    event: function (data) {
      if (data.event === "reading") addReading(data);
      else if (data.event === "board") showBoard(data.status);
      else if (data.event === "console") consoleLine(data.text);
      else if (data.event === "started") { board = board || {}; }
      else if (data.event === "task") {
        const li = taskList.querySelector('li[data-task="' + CSS.escape(data.id) + '"]');
        if (li) tick(li, data);
      } else if (data.event === "finished" && data.traceback) showTraceback(data.traceback);
      else if (data.event === "completed") document.getElementById("completed").hidden = false;
    },
  });

  // -- the facilitator's buttons ------------------------------------------------------------
  taskList.addEventListener("click", async function (e) {
    const button = e.target.closest(".signoff");
    if (!button) return;
    const run = board && board.run !== null ? board.run : page.run;
    try {
      await wk.api("POST", "/api/runs/" + run + "/signoff", { task: button.dataset.task });
      wk.notify("Signed off.", true);
    } catch (error) { wk.notify(error.message); }
  });
  const stop = document.getElementById("stop");
  if (stop) stop.addEventListener("click", async function () {
    try { await wk.api("POST", "/api/runs/" + board.run + "/stop"); wk.notify("Stopping the run.", true); }
    catch (error) { wk.notify(error.message); }
  });

  // -- a virtual board's panel ----------------------------------------------------------------
  const simBase = "/api/sim/" + encodeURIComponent(page.board);
  const pending = {};
  let sendTimer = null;

  function sendSoon(name, value) {
    pending[name] = value;
    if (sendTimer) return;
    sendTimer = setTimeout(async function () {
      const values = Object.assign({}, pending);
      Object.keys(pending).forEach(function (k) { delete pending[k]; });
      sendTimer = null;
      try { await wk.api("POST", simBase + "/sensors", values); } catch (error) { wk.notify(error.message); }
    }, 100);
  }

  document.querySelectorAll("[data-sensor]").forEach(function (input) {
    const name = input.dataset.sensor;
    if (input.type === "checkbox") {
      input.addEventListener("change", function () { sendSoon(name, input.checked ? 1 : 0); });
    } else {
      input.addEventListener("input", function () {
        document.getElementById("o-" + name).textContent = input.value;
        sendSoon(name, Number(input.value));
      });
    }
  });
  document.querySelectorAll(".motion").forEach(function (button) {
    button.addEventListener("click", async function () {
      try {
        const r = await wk.api("POST", simBase + "/" + button.dataset.motion);
        wk.notify(button.textContent + ": moving the board for " + r.seconds + " s", true);
      } catch (error) { wk.notify(error.message); }
    });
  });
  ["unplug", "replug"].forEach(function (action) {
    const button = document.getElementById(action);
    if (button) button.addEventListener("click", async function () {
      try { await wk.api("POST", simBase + "/" + action); wk.notify(action === "unplug" ? "Unplugged." : "Plugged back in.", true); }
      catch (error) { wk.notify(error.message); }
    });
  });
})();
