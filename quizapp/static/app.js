// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The browser's time zone, so the server can show times in it (read by the
  // `localtime` filter when the account names no zone of its own).
  function rememberZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && /^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
        document.cookie = "tz=" + zone +
          "; path=/; max-age=31536000; samesite=lax";
      }
    } catch (error) { /* no Intl: times stay in the zone the page states */ }
  }

  // A live countdown next to an attempt's deadline; the server enforces the limit.
  // A few seconds before the end an answer changed on screen is saved (the same form,
  // as if sent by hand, staying on the question), and at the end the page reloads
  // once so the server can show the results. Neither repeats: an answer already saved
  // is not "changed", and the reload is remembered for this deadline.
  var SAVE_BEFORE = 4;
  function startCountdown(element) {
    var deadline = Date.parse(element.getAttribute("data-deadline"));
    if (isNaN(deadline)) { return; }
    var output = document.createElement("span");
    output.className = "countdown";
    output.setAttribute("role", "timer");
    element.appendChild(document.createTextNode(" "));
    element.appendChild(output);
    var form = document.getElementById("answer-form");
    var changed = false;
    if (form) {
      form.addEventListener("input", function () { changed = true; });
      form.addEventListener("change", function () { changed = true; });
      form.addEventListener("submit", function () { changed = false; });
    }
    var reloadKey = "quizapp-reloaded-" + element.getAttribute("data-deadline");
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      output.textContent = "Time left: " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      element.classList.toggle("deadline-near", left <= 60);
      if (changed && left <= SAVE_BEFORE && form) {
        changed = false;
        saveAnswer(form);
        return;
      }
      if (left > 0) { window.setTimeout(tick, 1000); return; }
      var store = window.sessionStorage;
      if (store && !store.getItem(reloadKey)) {
        store.setItem(reloadKey, "1");
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    }
    tick();
  }

  function saveAnswer(form) {
    var go = document.createElement("input");
    go.type = "hidden";
    go.name = "go";
    go.value = "stay";
    form.appendChild(go);
    form.submit();
  }

  // Ordering: drag the items, or move them with their buttons (keyboard), over the
  // position menus, which stay and always show the order that will be sent.
  function enhanceOrdering(fieldset) {
    var items = Array.prototype.slice.call(fieldset.querySelectorAll(".order-item"));
    if (items.length < 2 || fieldset.querySelector("select:disabled")) { return; }
    var list = document.createElement("div");
    list.className = "order-list";
    items[0].parentNode.insertBefore(list, items[0]);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    fieldset.appendChild(status);
    var hint = fieldset.querySelector(".hint");
    if (hint) { hint.textContent = "Drag the items into order, 1 first, or move them with the buttons or the position menus."; }
    // Items already given positions start in that order.
    items.sort(function (a, b) {
      var pa = parseInt(a.querySelector("select").value, 10) || 999;
      var pb = parseInt(b.querySelector("select").value, 10) || 999;
      return pa - pb;
    });
    items.forEach(function (item) {
      list.appendChild(item);
      item.setAttribute("draggable", "true");
      item.classList.add("is-draggable");
      var labelElement = item.querySelector("label");
      var label = labelElement.textContent.trim();
      if (!labelElement.id) { labelElement.id = labelElement.htmlFor + "-label"; }
      var buttons = document.createElement("span");
      buttons.className = "order-moves";
      [["up", "↑", "Move up: "], ["down", "↓", "Move down: "]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button order-move";
        button.setAttribute("data-move", spec[0]);
        // Named "Move up", described by the item, so the item's own name stays unique.
        button.setAttribute("aria-describedby", labelElement.id);
        button.innerHTML = '<span aria-hidden="true">' + spec[1] + '</span><span class="visually-hidden">' + spec[2].replace(": ", "") + "</span>";
        button.addEventListener("click", function () { move(item, spec[0], button); });
        buttons.appendChild(button);
      });
      item.appendChild(buttons);
      item.addEventListener("dragstart", function (event) {
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", label);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
        renumber();
      });
    });
    list.addEventListener("dragover", function (event) {
      var dragging = list.querySelector(".is-dragging");
      if (!dragging) { return; }
      event.preventDefault();
      var after = null;
      var rows = list.querySelectorAll(".order-item:not(.is-dragging)");
      for (var i = 0; i < rows.length; i++) {
        var box = rows[i].getBoundingClientRect();
        if (event.clientY < box.top + box.height / 2) { after = rows[i]; break; }
      }
      list.insertBefore(dragging, after);
    });
    list.addEventListener("drop", function (event) { event.preventDefault(); renumber(); });

    function move(item, direction, button) {
      var other = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
      if (other) {
        if (direction === "up") { list.insertBefore(item, other); } else { list.insertBefore(other, item); }
        renumber();
        button.focus();
      }
      var rows = list.querySelectorAll(".order-item");
      var place = Array.prototype.indexOf.call(rows, item) + 1;
      status.textContent = item.querySelector("label").textContent.trim() +
        (other ? ": now position " : ": already at position ") + place + " of " + rows.length + ".";
    }
    function renumber() {
      var rows = list.querySelectorAll(".order-item");
      for (var i = 0; i < rows.length; i++) {
        rows[i].querySelector("select").value = String(i + 1);
      }
    }
  }

  // Printing the results prints every question's review, open.
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll(".review-item details:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].setAttribute("open", ""); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    rememberZone();
    var deadlines = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < deadlines.length; i++) { startCountdown(deadlines[i]); }
    var orderings = document.querySelectorAll(".question-form .question-ordering");
    for (var j = 0; j < orderings.length; j++) { enhanceOrdering(orderings[j]); }
  });
})();
