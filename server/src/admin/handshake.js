// The GitHub sign-in popup's last page (admin/github.rs): hands the outcome to the editor page
// that opened the popup, as Decap's sign-in expects. It says "authorizing:github" to that page,
// waits for the same words back from the site's own origin, then sends the message, to that
// origin only. Its data is the page's JSON block: { origin, message }.
(function () {
  "use strict";
  var block = document.getElementById("aipr-sign-in");
  var opener = window.opener;
  if (!block || !opener) return;
  var data = JSON.parse(block.textContent);
  var provider = "authorizing:github";
  window.addEventListener("message", function answer(event) {
    if (event.origin !== data.origin || event.source !== opener || event.data !== provider) return;
    window.removeEventListener("message", answer);
    opener.postMessage(data.message, data.origin);
  });
  opener.postMessage(provider, data.origin);
})();
