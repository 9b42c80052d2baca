// Synoptic pages: a little behaviour on top of plain HTML (everything reads without it).
"use strict";

// Room left of each plot for the lane labels (timeline_chart.LABEL_ROOM) and Vega's padding.
var CHART_LABEL_ROOM = 118;
var CHART_PADDING = 40;  // and the lanes' titles

function drawTimeline() {
  var box = document.getElementById("timeline-chart");
  var source = document.getElementById("timeline-spec");
  if (!box || !source || !window.vegaEmbed || !window.vegaInterpreter) return;
  var spec = JSON.parse(source.textContent);
  var view = null;
  var drawnWidth = 0;
  box.hidden = false;
  function draw() {
    var width = Math.max(120, box.clientWidth - CHART_LABEL_ROOM - CHART_PADDING);
    if (width === drawnWidth) return;
    drawnWidth = width;
    (spec.vconcat || [spec]).forEach(function (v) { v.width = width; });
    if (view) view.finalize();
    window.vegaEmbed(box, spec, {
      renderer: "svg",
      actions: false,
      // the pages' CSP has no 'unsafe-eval': Vega interprets its expressions instead of compiling them
      ast: true,
      expr: window.vegaInterpreter.expressionInterpreter,
      // nor inline styles: the tooltip and embed styles are in style.css
      defaultStyle: false,
      tooltip: {disableDefaultStyle: true}
    }).then(function (result) {
      view = result.view;
      box.setAttribute("data-drawn", "true");
    }).catch(function (err) {
      box.hidden = true;  // the lists below still tell the story
      if (window.console) console.error(err);
    });
  }
  draw();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(draw, 150);
  });
}

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
  drawTimeline();
});
