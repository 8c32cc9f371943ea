// "Copy" buttons next to payment details (templates/resident/_copy.html). The page works
// without this script: the buttons stay hidden and the values are written out to select.
(function () {
  "use strict";
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    return;
  }
  var status = document.querySelector("[data-copy-status]");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        if (status) {
          status.textContent = "";
          status.textContent = button.getAttribute("data-copied");
        }
      });
    });
  });
})();
