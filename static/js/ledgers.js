// Ledger exports from list pages: the export forms post to the page as it is now, since filtering and sorting
// through htmx change the address without reloading the page (and so without re-rendering the forms).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.ledger-export-form")) return;
    form.action = window.location.pathname + window.location.search;
    var modal = form.closest(".modal");
    if (modal && window.bootstrap) {
      // A small export downloads without leaving the page: close the dialog once the request is on its way.
      setTimeout(function () { window.bootstrap.Modal.getOrCreateInstance(modal).hide(); }, 300);
    }
  });
})();
