// Small behaviours shared by every page.
(function () {
  "use strict";
  // A form marked data-once submits once: the button is disabled so a double tap cannot post twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.classList.add("disabled");
    });
  });
  // Find in the organization tree: hide the rows that do not match.
  document.addEventListener("input", function (event) {
    if (event.target.id !== "tree-search") return;
    var text = event.target.value.trim();
    document.querySelectorAll("#org-tree .org-node").forEach(function (row) {
      row.classList.toggle("d-none", text !== "" && row.dataset.name.indexOf(text) === -1);
    });
  });
})();
