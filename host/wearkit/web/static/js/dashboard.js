// The dashboard: every board live (state, student, activity, tasks), start and stop runs.
"use strict";
(function () {
  const STARTABLE = ["ready", "needs runtime", "complete", "error"];
  const tbody = document.querySelector("#boards tbody");
  const template = document.getElementById("row-template");
  const select = document.getElementById("activity");
  const boards = {};  // name -> the board as the API gives it

  function row(name) {
    let tr = tbody.querySelector('tr[data-board="' + CSS.escape(name) + '"]');
    if (!tr) {
      tr = template.content.firstElementChild.cloneNode(true);
      tr.dataset.board = name;
      tr.querySelector(".pick").value = name;
      tr.querySelector(".pick").setAttribute("aria-label", "Select board " + name);
      const link = tr.querySelector('[data-field="link"]');
      link.textContent = name;
      link.href = "/boards/" + encodeURIComponent(name);
      tr.querySelectorAll("button").forEach(function (b) { b.dataset.board = name; });
      tbody.appendChild(tr);
    }
    return tr;
  }

  function field(tr, name, text) {
    const el = tr.querySelector('[data-field="' + name + '"]');
    if (el.textContent !== text) el.textContent = text;
    return el;
  }

  function show(board) {
    const old = boards[board.name] || {};
    if (board.student === undefined) board.student = old.student;
    boards[board.name] = board;
    const tr = row(board.name);
    field(tr, "family", board.family || "");
    const state = field(tr, "state", board.state);
    state.className = "state state-" + board.state.replace(/ /g, "-");
    field(tr, "problem", board.problem || "");
    field(tr, "student", board.student || "—");
    field(tr, "activity", board.activity_title || "—");
    field(tr, "tasks", board.total ? board.done + " of " + board.total : "—");
    tr.querySelector(".start-one").hidden = ["running", "lost", "installing"].indexOf(board.state) >= 0;
    tr.querySelector(".stop-one").hidden = board.state !== "running";
    if (board.state === "installing") field(tr, "state", "installing…");
    const settled = board.state === "lost" || board.state === "complete" ||
      (old.state === "installing" && board.state === "ready");
    if (old.state && old.state !== board.state && settled) {
      wk.say("dash-status", "Board " + board.name + " is " + board.state);
    }
    document.getElementById("no-boards").hidden = true;
    wk.say("board-count", "(" + Object.keys(boards).length + ")");
  }

  tbody.querySelectorAll("tr").forEach(function (tr) { boards[tr.dataset.board] = { name: tr.dataset.board }; });

  function fits(name) {
    const option = select.options[select.selectedIndex];
    const fitting = (option.dataset.families || "").split(" ");
    const board = boards[name];
    return board && fitting.indexOf(board.family) >= 0;
  }

  async function start(names) {
    if (!names.length) { wk.notify("Select at least one board first."); return; }
    try {
      const result = await wk.api("POST", "/api/runs", { board: names, activity: select.value });
      wk.notify("Started " + select.options[select.selectedIndex].text + " on " +
        result.runs.map(function (r) { return r.board; }).join(", "), true);
    } catch (error) {
      wk.notify(error.message);
    }
  }

  document.getElementById("start-selected").addEventListener("click", function () {
    start(Array.from(tbody.querySelectorAll(".pick:checked")).map(function (c) { return c.value; }));
  });
  document.getElementById("start-all").addEventListener("click", function () {
    const names = Object.keys(boards).filter(function (n) {
      return STARTABLE.indexOf(boards[n].state) >= 0 && fits(n);
    });
    if (!names.length) { wk.notify("No free board can run this activity now."); return; }
    start(names);
  });
  document.getElementById("provision-all").addEventListener("click", async function () {
    try {
      const result = await wk.api("POST", "/api/provision", { board: "all" });
      const names = result.boards.map(function (b) { return b.name; });
      wk.notify(names.length ? "Installing the runtime on " + names.join(", ")
        : "No free board to provision now.", names.length > 0);
      result.boards.forEach(show);
    } catch (error) { wk.notify(error.message); }
  });
  document.getElementById("pick-all").addEventListener("change", function (e) {
    tbody.querySelectorAll(".pick").forEach(function (c) { c.checked = e.target.checked; });
  });
  tbody.addEventListener("click", async function (e) {
    const button = e.target.closest("button");
    if (!button) return;
    const name = button.dataset.board;
    if (button.classList.contains("start-one")) {
      start([name]);
    } else if (button.classList.contains("stop-one")) {
      try {
        await wk.api("POST", "/api/runs/" + boards[name].run + "/stop");
        wk.notify("Stopping the run on " + name, true);
      } catch (error) { wk.notify(error.message); }
    }
  });

  wk.follow("/api/events?only=board", {
    snapshot: function (list) { list.forEach(show); },
    event: function (data) { if (data.event === "board") show(data.status); },
  });
})();
