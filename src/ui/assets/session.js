// R10: warn five minutes before the 30-minute inactivity timeout; "Resta collegato" reloads the
// page, which counts as activity. Without JavaScript the server still closes the session.
(function () {
  'use strict';
  var box = document.getElementById('session-warning');
  if (!box) return;
  var warnAfterMs = Number(box.getAttribute('data-warn-after-ms')) || 25 * 60 * 1000;
  setTimeout(function () {
    box.hidden = false;
    box.focus();
  }, warnAfterMs);
  var stay = document.getElementById('session-stay');
  if (stay)
    stay.addEventListener('click', function () {
      window.location.reload();
    });
})();
