// Question pages, repeat entries and the check page: enhancement only; every page works
// without this script (the forms post and the server re-draws them).
//  - After a failed submit, focus moves to the error summary (GOV.UK pattern), so a
//    keyboard or screen-reader user hears what went wrong first.
//  - An error link moves focus to its field without changing the address (a "#fragment"
//    would otherwise stay in the URL).
//  - Questions that depend on answers on the same form appear and disappear as the
//    resident answers: the form's answers are posted to the page's `reveal` address,
//    and the server (the same engine that judges the post) says which fields are hidden
//    and which options a filtered list offers, and which fields whose `required:` reads
//    those answers are optional now.
(function () {
  "use strict";

  function focusSummary() {
    // the error summary after a failed submit, else the banner saying what was just done
    var summary = document.querySelector(".error-summary") || document.querySelector("[data-notice]");
    if (summary) {
      summary.focus();
    }
  }

  function followErrorLinks() {
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) {
          return;
        }
        event.preventDefault();
        var focusable = target.matches("input, select, textarea, [tabindex]") ? target
          : target.querySelector("input, select, textarea");
        var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
        var label = document.querySelector("label[for='" + target.id + "']") || legend;
        (label || target).scrollIntoView();
        (focusable || target).focus({preventScroll: true});
      });
    });
  }

  function applyReveal(form, answer) {
    var drawnHidden = form.querySelector("input[name='pkip-drawn-hidden']");
    if (drawnHidden) {   // what the resident has now seen is judged on Continue like any answer
      drawnHidden.value = answer.hidden.join(" ");
    }
    form.querySelectorAll("[data-when]").forEach(function (element) {
      element.hidden = answer.hidden.indexOf(element.getAttribute("data-when")) !== -1;
    });
    form.querySelectorAll("[data-optional]").forEach(function (mark) {   // "(optional)" as `required:` says now
      mark.hidden = (answer.optional || []).indexOf(mark.getAttribute("data-optional")) === -1;
    });
    Object.keys(answer.options || {}).forEach(function (name) {
      var allowed = answer.options[name];
      form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
        if (input.tagName === "SELECT") {
          Array.prototype.forEach.call(input.options, function (option) {
            option.hidden = option.value !== "" && allowed.indexOf(option.value) === -1;
            option.disabled = option.hidden;
          });
          return;
        }
        var item = input.closest(".radios__item, .checkboxes__item") || input;
        item.hidden = allowed.indexOf(input.value) === -1;
        input.disabled = item.hidden;
      });
    });
  }

  function enableReveal(form) {
    var address = form.getAttribute("data-reveal");
    if (!address || !window.fetch || !window.FormData) {
      return;
    }
    var pending = null;
    var asked = 0;
    function ask() {
      var body = new FormData(form);
      var number = ++asked;
      form.querySelectorAll("input[type=file]").forEach(function (input) { body.delete(input.name); });
      fetch(address, {method: "POST", body: body, credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer && number === asked) { applyReveal(form, answer); } })
        .catch(function () { /* the server re-draws the page after Continue */ })
        .then(function () { if (number === asked) { form.removeAttribute("data-revealing"); } });
    }
    // data-revealing: an answer is on its way (tests wait for it to go)
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") {
        return;
      }
      form.setAttribute("data-revealing", "");
      clearTimeout(pending);
      pending = setTimeout(ask, 50);
    });
  }

  focusSummary();
  followErrorLinks();
  document.querySelectorAll("form[data-reveal]").forEach(enableReveal);
})();
