// A resume link is /<municipality>/<service>/resume#<code>: the code is in the fragment,
// which the browser never sends to the server (no access log, no Referer). This script
// moves it into the form, drops it from the address bar and sends the form. Without
// JavaScript the resident pastes the code shown on the "saved" page instead.
(function () {
  var form = document.getElementById("resume-form");
  var code = location.hash.slice(1);
  if (!form || !code) { return; }
  document.getElementById("code").value = decodeURIComponent(code);
  history.replaceState(null, "", location.pathname + location.search);
  form.submit();
})();
