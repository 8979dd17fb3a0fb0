(function () {
  "use strict";
  var list = document.getElementById("story-list");
  if (!list) { return; }
  var cards = Array.prototype.slice.call(list.querySelectorAll("li.story-card"));
  var search = document.getElementById("story-search");
  var outlet = document.getElementById("story-outlet");
  var withX = document.getElementById("story-contradictions");
  var multi = document.getElementById("story-multi");
  var sort = document.getElementById("story-sort");
  var count = document.getElementById("story-count");
  var none = document.getElementById("story-none");
  function num(card, name) { return parseFloat(card.getAttribute("data-" + name)) || 0; }
  function apply() {
    var words = (search.value || "").toLowerCase().split(/\s+/).filter(Boolean);
    var want = outlet.value;
    var shown = 0;
    for (var i = 0; i < cards.length; i++) {
      var c = cards[i];
      var text = c.getAttribute("data-search");
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      if (ok && want) { ok = c.getAttribute("data-outlets").split("\n").indexOf(want) >= 0; }
      if (ok && withX.checked) { ok = num(c, "contradictions") > 0; }
      if (ok && multi.checked) { ok = num(c, "outlet-count") >= 2; }
      c.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + cards.length + " stories";
    none.hidden = shown > 0;
  }
  function order() {
    var key = sort.value;
    var sorted = cards.slice().sort(function (a, b) {
      if (key === "date") { return (b.getAttribute("data-date") || "").localeCompare(a.getAttribute("data-date") || ""); }
      if (key === "contested") { return num(b, "contradictions") - num(a, "contradictions") || num(a, "order") - num(b, "order"); }
      return num(b, "docs") - num(a, "docs") || num(a, "order") - num(b, "order");
    });
    for (var i = 0; i < sorted.length; i++) { list.appendChild(sorted[i]); }
  }
  document.getElementById("finder").addEventListener("submit", function (ev) { ev.preventDefault(); });
  search.addEventListener("input", apply);
  outlet.addEventListener("change", apply);
  withX.addEventListener("change", apply);
  multi.addEventListener("change", apply);
  sort.addEventListener("change", function () { order(); apply(); });
  document.documentElement.classList.add("js");
})();
