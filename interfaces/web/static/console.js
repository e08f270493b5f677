// The console's few behaviours: live reaction clocks, moving through the queue by keyboard,
// and the reply templates. The pages work without it; it only keeps them current and quick.
(function () {
  "use strict";

  // The clocks count against the server's time, not the workstation's, which may be off.
  let skew = 0;

  function syncSkew(root) {
    const holder = root.querySelector("[data-server-now]");
    if (holder) skew = Date.parse(holder.dataset.serverNow) - Date.now();
  }

  function duration(ms) {
    const s = Math.max(Math.floor(ms / 1000), 0);
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
    const ss = String(s % 60).padStart(2, "0");
    return Math.floor(s / 3600) + ":" + mm + ":" + ss;
  }

  // The same words and colours as interfaces/web/clock.py renders first.
  function tick() {
    const now = Date.now() + skew;
    document.querySelectorAll(".clock[data-deadline]").forEach(function (cell) {
      const target = Date.parse(cell.dataset.target);
      const deadline = Date.parse(cell.dataset.deadline);
      let state, text;
      if (now <= target) {
        state = "within_target";
        text = "До\u00a02\u00a0ч:\u00a0" + duration(target - now) + "\u00a0· до\u00a04\u00a0ч:\u00a0" + duration(deadline - now);
      } else if (now <= deadline) {
        state = "past_target";
        text = "2 ч истекли\u00a0· до\u00a04\u00a0ч:\u00a0" + duration(deadline - now);
      } else {
        state = "overdue";
        text = "Просрочено на " + duration(now - deadline);
      }
      cell.textContent = text;
      cell.classList.remove("within_target", "past_target", "overdue");
      cell.classList.add(state);
    });
  }

  // j/k move between the queue's rows (the focus is on each row's link), Enter opens it.
  let current = null;

  function rows() {
    return Array.from(document.querySelectorAll("#queue-rows tbody tr[data-id]"));
  }

  function select(row) {
    if (!row) return;
    current = row.dataset.id;
    row.querySelector("a.open").focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key !== "j" && event.key !== "k") return;
    const all = rows();
    if (!all.length) return;
    const at = all.findIndex(function (row) { return row.dataset.id === current; });
    const next = at < 0 ? 0 : Math.min(Math.max(at + (event.key === "j" ? 1 : -1), 0), all.length - 1);
    select(all[next]);
    event.preventDefault();
  });

  document.addEventListener("focusin", function (event) {
    const row = event.target.closest && event.target.closest("#queue-rows tbody tr[data-id]");
    if (row) current = row.dataset.id;
  });

  // A refresh replaces the rows: mark what is new or changed, and keep the selection.
  let seen = null;
  let refocus = false;

  function remember() {
    seen = new Map(rows().map(function (row) { return [row.dataset.id, row.dataset.version]; }));
  }

  document.addEventListener("htmx:beforeSwap", function () {
    remember();
    // Only a person moving through the rows gets the focus back, not one typing in a filter.
    refocus = Boolean(document.activeElement && document.activeElement.closest("#queue-rows"));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    syncSkew(document);
    rows().forEach(function (row) {
      if (seen && seen.get(row.dataset.id) !== row.dataset.version) row.classList.add("changed");
      if (refocus && row.dataset.id === current) select(row);
    });
    tick();
  });

  // Reply templates: the chosen text goes into the reply box, to be edited before sending.
  document.addEventListener("change", function (event) {
    const chooser = event.target.closest("select[data-template-for]");
    if (!chooser || !chooser.value) return;
    const box = document.getElementById(chooser.dataset.templateFor);
    box.value = chooser.value;
    box.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    syncSkew(document);
    tick();
    setInterval(tick, 1000);
  });
})();
