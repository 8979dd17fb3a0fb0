(function () {
  "use strict";
  var active = [];
  var peeked = [];
  var origin = null;
  var back = document.getElementById("back-to-citation");

  function marks(key) {
    return document.querySelectorAll('mark.cite[data-key="' + key + '"]');
  }
  function openAncestors(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; }
    }
  }
  function clear(list, cls) {
    for (var i = 0; i < list.length; i++) { list[i].classList.remove(cls); }
    return [];
  }
  function highlight(key, from) {
    var found = marks(key);
    if (!found.length) { return false; }
    active = clear(active, "hl");
    for (var i = 0; i < found.length; i++) { found[i].classList.add("hl"); active.push(found[i]); }
    var first = document.getElementById(key) || found[0];
    openAncestors(first);
    first.scrollIntoView({ block: "center", behavior: "auto" });
    if (from && back) { origin = from; back.hidden = false; }
    return true;
  }
  function targetOf(node) {
    var el = node && node.closest ? node.closest("[data-target]") : null;
    return el && el.getAttribute("data-target") ? el : null;
  }
  document.addEventListener("click", function (ev) {
    var el = targetOf(ev.target);
    if (el) {
      if (highlight(el.getAttribute("data-target"), el)) { ev.preventDefault(); }
      return;
    }
    // an in-page link into folded content unfolds it
    var link = ev.target && ev.target.closest ? ev.target.closest('a[href^="#"]') : null;
    var dest = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (dest) {
      openAncestors(dest);
      if (dest.tagName === "DETAILS") { dest.open = true; }
      var row = dest.closest("tr[hidden]");
      if (row) { row.hidden = false; }
    }
  });
  document.addEventListener("mouseover", function (ev) {
    var el = targetOf(ev.target);
    peeked = clear(peeked, "peek");
    if (!el) { return; }
    var found = marks(el.getAttribute("data-target"));
    for (var i = 0; i < found.length; i++) { found[i].classList.add("peek"); peeked.push(found[i]); }
  });
  if (back) {
    back.addEventListener("click", function () {
      if (origin) { origin.scrollIntoView({ block: "center", behavior: "auto" }); origin.focus(); }
      back.hidden = true;
    });
  }
  // claims matrix: filter rows by status
  var filters = document.querySelectorAll("input[data-status-filter]");
  function applyFilters() {
    var shown = {};
    for (var i = 0; i < filters.length; i++) { shown[filters[i].value] = filters[i].checked; }
    var rows = document.querySelectorAll("tr[data-status]");
    for (var j = 0; j < rows.length; j++) { rows[j].hidden = shown[rows[j].getAttribute("data-status")] === false; }
  }
  for (var f = 0; f < filters.length; f++) { filters[f].addEventListener("change", applyFilters); }
  // printing shows everything that is folded away on screen
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; reopened.push(closed[i]); }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < reopened.length; i++) { reopened[i].open = false; }
    reopened = [];
  });
  document.documentElement.classList.add("js");
})();
