/* The standard editor: pledge, catalogue pick, added product and indicator cards, and each indicator's live
   preview in exactly the public format (Indicator.requirement_display). */
(function () {
  var form = document.getElementById("standard-form");
  if (!form) return;
  var catalogueUrl = form.dataset.catalogueUrl;
  var pledgeBox = document.getElementById("id_pledge_accepted"), submit = document.getElementById("submit-button");
  function sync() { submit.disabled = !pledgeBox.checked; }
  pledgeBox.addEventListener("change", sync); sync();
  var number = document.getElementById("id_number"), name = document.getElementById("id_name"), pledge = document.getElementById("pledge");
  function renderPledge() { pledge.textContent = pledge.dataset.template.replace(/\{number\}/g, number.value).replace(/\{name\}/g, name.value); }
  [number, name].forEach(function (input) { input.addEventListener("input", renderPledge); });
  renderPledge();  // what was typed before the script loaded
  // A standard picked from the catalogue discloses no content; typing a number of one's own brings the inputs back.
  var content = document.getElementById("content");
  function showContent(shown) { if (content) content.hidden = !shown; }
  number.addEventListener("input", function () { showContent(true); });

  function catalogue(q, kind, done) {
    fetch(catalogueUrl + "?kind=" + encodeURIComponent(kind || "") + "&q=" + encodeURIComponent(q))
      .then(function (r) { return r.json(); }).then(function (data) { done(data.results); });
  }
  var q = document.getElementById("catalogue-q");
  if (q) q.addEventListener("input", function () {
    catalogue(q.value, q.dataset.kind, function (results) {
      var list = document.getElementById("catalogue-results"); list.innerHTML = "";
      results.forEach(function (e) {
        var item = document.createElement("li"), choose = document.createElement("button");
        choose.type = "button"; choose.textContent = e.number + " " + e.name;
        choose.addEventListener("click", function () { number.value = e.number; name.value = e.name; renderPledge(); list.innerHTML = ""; showContent(false); });
        item.appendChild(choose); list.appendChild(item);
      });
    });
  });
  // Typed before this script ran (a slow connection): search for it now.
  if (q && q.value) q.dispatchEvent(new Event("input"));

  // Indicators: numeric or text inputs as the type says, and the preview as the public page will show it.
  function value(card, field) { var input = card.querySelector("[name$='-" + field + "']"); return input ? input.value.trim() : ""; }
  function tolerance(plus, minus) {
    if (plus === "" && minus === "") return "";
    var fix = function (x) { var n = Number(x || 0); return isNaN(n) ? x : n.toFixed(3); };
    return "(+" + fix(plus) + ",-" + fix(minus) + ")";
  }
  function preview(card) {
    if (value(card, "requirement_type") === "text") return value(card, "text_requirement");
    var parts = [], lower = value(card, "lower_limit"), upper = value(card, "upper_limit");
    if (lower) parts.push(lower + tolerance(value(card, "lower_plus"), value(card, "lower_minus")), value(card, "lower_operator"));
    parts.push(value(card, "quantity"));
    if (upper) parts.push(value(card, "upper_operator"), upper + tolerance(value(card, "upper_plus"), value(card, "upper_minus")));
    return parts.join(" ") + value(card, "unit");
  }
  function setUp(card) {
    var type = card.querySelector("[name$='-requirement_type']");
    function update() {
      card.querySelectorAll("[data-requirement]").forEach(function (group) { group.hidden = group.dataset.requirement !== type.value; });
      card.querySelector("[data-preview]").textContent = preview(card);
    }
    card.addEventListener("input", update); card.addEventListener("change", update); update();
    var category = card.querySelector("[name$='-category_name']");
    if (category) category.setAttribute("list", "indicator-categories");
    var method = card.querySelector("[name$='-test_method']");
    if (method) {
      method.setAttribute("list", "test-methods");
      method.addEventListener("input", function () {
        if (method.value.replace(/\D/g, "").length < 3 && method.value.length < 2) return;
        catalogue(method.value, "", function (results) {
          var list = document.getElementById("test-methods"); list.innerHTML = "";
          results.forEach(function (e) { var option = document.createElement("option"); option.value = e.number; option.label = e.number + " " + e.name; list.appendChild(option); });
        });
      });
    }
  }
  document.querySelectorAll("[data-indicator]").forEach(setUp);

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow, total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var html = document.getElementById(prefix + "-template").innerHTML.replace(/__prefix__/g, total.value);
      var list = document.getElementById(prefix);
      list.insertAdjacentHTML("beforeend", html);
      total.value = +total.value + 1;
      var card = list.lastElementChild;
      if (card.hasAttribute("data-indicator")) setUp(card);
      var first = card.querySelector("input, select, textarea"); if (first) first.focus();
    });
  });
})();
