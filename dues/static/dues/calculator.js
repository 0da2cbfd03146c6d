// The dues calculator of the standard form: the monthly amount by the official rates (dues/rates.py, which the
// server applies again on save) shown as the basis is chosen and the income typed. Amounts in fen, rounded half up.
(function () {
  "use strict";
  function fen(yuanText) {
    var text = String(yuanText || "").trim();
    if (!/^\d+(\.\d{0,2})?$/.test(text)) return null;
    var parts = text.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function share(incomeFen, permille10) { // permille10: the rate in units of 0.01% (0.5% = 50)
    return Math.floor((incomeFen * permille10 + 5000) / 10000); // half up, in fen
  }
  function monthly(basis, incomeFen, farmerFen) {
    if (basis === "employed" || basis === "retired") {
      if (incomeFen === null) return null;
      var rate;
      if (basis === "employed") {
        rate = incomeFen <= 300000 ? 50 : incomeFen <= 500000 ? 100 : incomeFen <= 1000000 ? 150 : 200;
      } else {
        rate = incomeFen <= 500000 ? 50 : 100;
      }
      return share(incomeFen, rate);
    }
    if (basis === "farmer") return farmerFen;
    if (basis === "student" || basis === "unemployed" || basis === "low_income") return 20;
    return null;
  }
  function show(value) {
    return value === null ? "—" : (Math.floor(value / 100) + "." + ("0" + (value % 100)).slice(-2));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("dues-calculator");
    var basis = document.querySelector("[data-dues-basis]");
    var income = document.querySelector("[data-dues-income]");
    var output = document.getElementById("dues-amount");
    if (!box || !basis || !income || !output) return;
    var farmerFen = fen(box.getAttribute("data-farmer"));
    function update() {
      output.textContent = show(monthly(basis.value, fen(income.value), farmerFen));
      income.closest(".mb-3") && (income.closest(".mb-3").hidden = !(basis.value === "employed" || basis.value === "retired"));
    }
    basis.addEventListener("change", update);
    income.addEventListener("input", update);
    update();
  });
})();
