// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A live countdown next to an attempt's deadline; the server enforces the limit.
  function startCountdown(element) {
    var deadline = Date.parse(element.getAttribute("data-deadline"));
    if (isNaN(deadline)) { return; }
    var output = document.createElement("span");
    output.className = "countdown";
    output.setAttribute("role", "timer");
    element.appendChild(document.createTextNode(" "));
    element.appendChild(output);
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      output.textContent = "Time left: " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left > 0) { window.setTimeout(tick, 1000); }
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var items = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < items.length; i++) { startCountdown(items[i]); }
  });
})();
