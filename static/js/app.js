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
  // A dropdown marked data-autosubmit submits its form when changed (the dashboard's year).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) select.form.submit();
  });
  // Widths and indents the server computes are data attributes, set here: the Content-Security-Policy refuses
  // inline style attributes, not styles set from a script file. Run on load and on every htmx swap.
  function applySizes(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.dataset.width) || 0)) + "%";
    });
    root.querySelectorAll("[data-indent]").forEach(function (el) {
      el.style.setProperty("--indent", Number(el.dataset.indent) || 0);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { applySizes(document); });
  document.addEventListener("htmx:load", function (event) { applySizes(event.detail.elt.parentNode || document); });
  // Find in the organization tree: hide the rows that do not match.
  document.addEventListener("input", function (event) {
    if (event.target.id !== "tree-search") return;
    var text = event.target.value.trim();
    document.querySelectorAll("#org-tree .org-node").forEach(function (row) {
      row.classList.toggle("d-none", text !== "" && row.dataset.name.indexOf(text) === -1);
    });
  });
})();

// The activity form: one-tap attendance, "all present", a live tally, and adding members found by search.
(function () {
  "use strict";
  function form() { return document.getElementById("activity-form"); }
  function tally() {
    var f = form(), out = document.getElementById("attendance-tally");
    if (!f || !out) return;
    var counts = { present: 0, online: 0, excused: 0, absent: 0, none: 0 };
    f.querySelectorAll(".attendance-row").forEach(function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      counts[checked && checked.value ? checked.value : "none"] += 1;
    });
    out.textContent = out.dataset.template.replace(/\{(\w+)\}/g, function (_m, key) { return counts[key]; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.id === "all-present") {
      form().querySelectorAll(".attendance-row input[value=present]").forEach(function (input) { input.checked = true; });
      tally();
    } else if (button.classList.contains("add-attendee")) {
      var id = button.dataset.member;
      var existing = form().querySelector('.attendance-row[data-member="' + id + '"]');
      if (!existing) {
        var template = button.parentElement.querySelector("template");
        document.getElementById("roster-extra").appendChild(template.content.cloneNode(true));
        existing = form().querySelector('.attendance-row[data-member="' + id + '"]');
      }
      existing.classList.add("attendance-added");
      existing.scrollIntoView({ block: "center", behavior: "smooth" });
      button.closest(".found-member").remove();
      tally();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest(".attendance-row")) tally();
  });
  // Enter in a search box inside a form searches; it must not submit the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-no-submit]")) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", tally);
  document.addEventListener("htmx:afterSettle", tally);
})();

// The member picker: search results are buttons; a click puts the member in the form as a hidden input.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var choice = event.target.closest(".member-picker .pick");
    var remove = event.target.closest(".member-picker .unpick");
    if (choice) {
      var picker = choice.closest(".member-picker");
      var picked = picker.querySelector(".picked");
      if (picker.dataset.multiple !== "true") picked.innerHTML = "";
      if (!picked.querySelector('input[value="' + choice.dataset.pk + '"]')) {
        var badge = document.createElement("span");
        badge.className = "badge text-bg-light border picked-member fs-6 fw-normal";
        var input = document.createElement("input");
        input.type = "hidden"; input.name = picker.dataset.name; input.value = choice.dataset.pk;
        var detail = document.createElement("small");
        detail.className = "text-muted"; detail.textContent = choice.dataset.detail;
        var close = document.createElement("button");
        close.type = "button"; close.className = "btn-close btn-close-sm unpick";
        badge.append(input, choice.dataset.label + " ", detail, " ", close);
        picked.appendChild(badge);
      }
      picker.querySelector(".pick-results").innerHTML = "";
      picker.querySelector("input[type=search]").value = "";
    } else if (remove) {
      var holder = remove.closest(".member-picker");
      remove.closest(".picked-member").remove();
      if (holder.dataset.multiple !== "true") {
        var empty = document.createElement("input");
        empty.type = "hidden"; empty.name = holder.dataset.name; empty.value = "";
        holder.querySelector(".picked").appendChild(empty);
      }
    }
  });
})();
