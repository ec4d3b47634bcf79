// Progressive enhancement for the donate form: presets fill the amount in place, and the
// button always states the total and how often, so nobody gives monthly by mistake.
(function () {
  "use strict";
  var form = document.querySelector(".donate-form");
  if (!form) return;
  var amount = form.querySelector("#amount");
  var cover = form.querySelector("#cover_fees");
  var button = form.querySelector(".donate-submit");
  var exponent = Number(form.dataset.exponent);
  var feeBp = Number(form.dataset.feeBp);
  var feeFixed = Number(form.dataset.feeFixed);
  var money = new Intl.NumberFormat(document.documentElement.lang || "en-US", {
    style: "currency", currency: form.dataset.currency.toUpperCase()
  });

  function minorUnits(text) {
    var cleaned = String(text).replace(/[^\d.,]/g, "");
    if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned)) cleaned = cleaned.replace(/,/g, "");
    if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
    var parts = cleaned.split(".");
    var fraction = parts[1] || "";
    if (fraction.length > exponent) return null;
    while (fraction.length < exponent) fraction += "0";
    return Number(parts[0] + fraction);
  }

  function fee(minor) {  // the same rounding as campaigns/fundraising/fees.py
    return Math.ceil((minor + feeFixed) * 10000 / (10000 - feeBp)) - minor;
  }

  function update() {
    var minor = minorUnits(amount.value);
    var monthly = form.querySelector("input[name=frequency]:checked");
    monthly = monthly && monthly.value === "monthly";
    if (!minor) { button.textContent = "Donate"; return; }
    var total = minor + (cover && cover.checked ? fee(minor) : 0);
    button.textContent = "Donate " + money.format(total / Math.pow(10, exponent)) +
      (monthly ? " / month" : "");
  }

  form.querySelectorAll(".preset").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      amount.value = link.dataset.amount;
      form.querySelectorAll(".preset").forEach(function (other) {
        other.removeAttribute("aria-current");
      });
      link.setAttribute("aria-current", "true");
      update();
      amount.focus();
    });
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
