// Synoptic pages: a little behaviour on top of plain HTML (everything works without it).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var cites = Array.prototype.slice.call(document.querySelectorAll("details.cite"));
  // One open citation at a time.
  cites.forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (!d.open) return;
      cites.forEach(function (other) { if (other !== d) other.open = false; });
    });
  });
  // Escape closes an open citation; a click elsewhere too.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") cites.forEach(function (d) { d.open = false; });
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest || e.target.closest("details.cite")) return;
    cites.forEach(function (d) { d.open = false; });
  });
  // On an article page opened from a citation, bring the cited sentence into view.
  var mark = document.getElementById("cite");
  if (mark && mark.scrollIntoView) mark.scrollIntoView({block: "center"});
});
