// The roster: add and remove students, give them boards, renew the class code.
"use strict";
(function () {
  async function change(body, message) {
    try {
      await wk.api("POST", "/api/roster", body);
      if (message) sessionStorage.setItem("wk-notice", message);
      window.location.reload();
    } catch (error) {
      wk.notify(error.message);
      if (error.field === "nickname") document.getElementById("nickname").focus();
    }
  }
  const kept = sessionStorage.getItem("wk-notice");
  if (kept) { sessionStorage.removeItem("wk-notice"); wk.notify(kept, true); }

  document.getElementById("add-student").addEventListener("submit", function (e) {
    e.preventDefault();
    const nickname = document.getElementById("nickname").value;
    change({ nickname: nickname }, "Added " + nickname.trim() + ".");
  });
  document.getElementById("new-code").addEventListener("click", function () {
    change({ new_code: true }, "New class code: students join again with it.");
  });
  document.querySelectorAll(".assign").forEach(function (select) {
    select.addEventListener("change", async function () {
      try {
        const roster = await wk.api("POST", "/api/roster",
          { nickname: select.dataset.nickname, board: select.value || null });
        roster.students.forEach(function (s) {
          const other = document.querySelector('.assign[data-nickname="' + CSS.escape(s.nickname) + '"]');
          if (other) other.value = s.board || "";
        });
        wk.notify(select.value ? select.dataset.nickname + " has board " + select.value + "."
                               : select.dataset.nickname + " has no board now.", true);
      } catch (error) { wk.notify(error.message); }
    });
  });
  document.querySelectorAll(".remove").forEach(function (button) {
    button.addEventListener("click", function () {
      change({ nickname: button.dataset.nickname, remove: true }, "Removed " + button.dataset.nickname + ".");
    });
  });
})();
