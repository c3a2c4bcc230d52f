// quant4j-report: draws the charts described in #quant4j-charts with uPlot (inlined above).
// All text reaches the page through textContent or canvas fillText, never as HTML.
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("quant4j-charts").textContent);
  var drawn = [];

  function width(el) {
    return Math.max(320, Math.min(720, (el.parentElement.clientWidth || 720) - 16));
  }

  function fmt(v) {
    if (v == null) return "–";
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(+v.toPrecision(4));
  }

  // Whiskers (confidence intervals, p90) and vertical marks are drawn on the canvas after the series.
  function whiskers(u, s, xs) {
    if (!s.low) return;
    var ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#222";
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    for (var i = 0; i < xs.length; i++) {
      if (s.low[i] == null || s.high[i] == null) continue;
      var x = u.valToPos(xs[i], "x", true);
      var y0 = u.valToPos(s.low[i], "y", true), y1 = u.valToPos(s.high[i], "y", true);
      var w = 6 * devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(x, y0); ctx.lineTo(x, y1);
      ctx.moveTo(x - w, y0); ctx.lineTo(x + w, y0);
      ctx.moveTo(x - w, y1); ctx.lineTo(x + w, y1);
      ctx.stroke();
    }
    ctx.restore();
  }

  function vlines(u, xs, color, lineWidth) {
    if (!xs) return;
    var ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth * devicePixelRatio;
    ctx.beginPath();
    xs.forEach(function (v) {
      var x = Math.round(u.valToPos(v, "x", true)) + 0.5;
      ctx.moveTo(x, top); ctx.lineTo(x, bottom);
    });
    ctx.stroke();
    ctx.restore();
  }

  function hline(u, y, color) {
    if (y == null) return;
    var ctx = u.ctx, py = u.valToPos(y, "y", true);
    ctx.save();
    ctx.strokeStyle = color;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(u.bbox.left, py); ctx.lineTo(u.bbox.left + u.bbox.width, py);
    ctx.stroke();
    ctx.restore();
  }

  // Bars start at zero; dots (values with intervals) get an axis zoomed to their extent.
  function yRange(values, fromZero) {
    var ys = values.filter(function (v) { return v != null; });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    if (fromZero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
    if (hi === lo) hi = lo + (Math.abs(lo) || 1); // all values equal (all zero): still a visible axis
    var pad = 0.08 * (hi - lo || Math.abs(hi) || 1);
    return [fromZero && lo === 0 ? 0 : lo - pad, fromZero && hi === 0 ? 0 : hi + pad];
  }

  function bars(el, c) {
    var xs = c.categories.map(function (_, i) { return i; });
    var extent = [];
    c.series.forEach(function (s) { extent = extent.concat(s.y, s.low || [], s.high || []); });
    var dot = c.series[0].style === "dot";
    var series = [
      { label: c.xLabel, value: function (u, i) { return i == null ? "–" : (c.categories[i] == null ? "" : c.categories[i]); } }
    ];
    c.series.forEach(function (s) {
      var fills = s.colors;
      series.push(s.style === "dot"
        ? { label: s.label, stroke: s.color, fill: s.color, width: 0, value: function (u, v) { return fmt(v); },
            paths: function () { return null; }, points: { show: true, size: 12, fill: s.color, stroke: "#1b1f24", width: 1 } }
        : { label: s.label, stroke: s.color, fill: s.color, width: 0, points: { show: false },
            value: function (u, v) { return fmt(v); },
            paths: uPlot.paths.bars({ size: [0.6, 90], disp: fills ? { fill: { unit: 3, values: function () { return fills; } } } : undefined }) });
    });
    var opts = {
      title: c.title, width: width(el), height: 260,
      scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: function () { return yRange(extent, !dot); } } },
      axes: [
        { label: c.xLabel, splits: function () { return xs; },
          values: function (u, splits) {
            return splits.map(function (i) {
              // Long category names (layer names) would overlap: the axis shows ranks, the legend the name.
              var name = c.categories[i];
              return name == null ? "" : (xs.length > 8 ? String(i + 1) : name);
            });
          } },
        { label: c.yLabel, size: 64 }
      ],
      series: series,
      hooks: { draw: [function (u) { c.series.forEach(function (s) { whiskers(u, s, xs); }); }] }
    };
    return new uPlot(opts, [xs].concat(c.series.map(function (s) { return s.y; })), el);
  }

  function pareto(el, c) {
    var styles = {
      points: { stroke: "#6b7785", fill: "#9aa5b1", width: 0, paths: function () { return null; }, points: { show: true, size: 11, fill: "#9aa5b1" } },
      line: { stroke: "#2f6fdf", width: 2, spanGaps: true, points: { show: true, size: 6, fill: "#2f6fdf" } },
      highlight: { stroke: "#d9480f", width: 0, paths: function () { return null; }, points: { show: true, size: 15, width: 3, fill: "transparent" } }
    };
    var series = [{ label: c.xLabel, value: function (u, v, si, i) { return i == null ? "–" : fmt(v) + " " + c.categories[i]; } }];
    c.series.forEach(function (s) {
      var o = Object.assign({ label: s.label, value: function (u, v) { return fmt(v); } }, styles[s.style]);
      series.push(o);
    });
    var extent = [];
    c.series.forEach(function (s) { extent = extent.concat(s.y); });
    if (c.bound != null) extent.push(c.bound);
    var ys = extent.filter(function (v) { return v != null; });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys), pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
    var xlo = Math.min.apply(null, c.x), xhi = Math.max.apply(null, c.x), xpad = (xhi - xlo || Math.abs(xhi) || 1) * 0.08;
    var opts = {
      title: c.title, width: width(el), height: 320,
      scales: { x: { time: false, range: [xlo - xpad, xhi + xpad] }, y: { range: [lo - pad, hi + pad] } },
      axes: [{ label: c.xLabel }, { label: c.yLabel, size: 64 }],
      series: series,
      hooks: { draw: [function (u) { hline(u, c.bound, "#c92a2a"); }] }
    };
    return new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.y; })), el);
  }

  function histogram(el, c) {
    var s = c.series[0];
    var step = c.x.length > 1 ? c.x[1] - c.x[0] : 1;
    var opts = {
      title: c.title, width: width(el), height: 240,
      scales: { x: { time: false, range: [c.x[0] - step / 2, c.x[c.x.length - 1] + step / 2] },
                y: { distr: 4, range: function (u, mn, mx) { return [0, Math.max(1, mx) * 1.2]; } } },
      axes: [{ label: c.xLabel }, { label: c.yLabel + " (asinh scale)", size: 64,
        values: function (u, splits) { return splits.map(function (v) { return v == null || v < 0 ? "" : uPlot.fmtNum(v); }); } }],
      series: [
        { label: c.xLabel, value: function (u, v) { return fmt(v); } },
        { label: s.label, stroke: s.color, fill: s.color + "cc", width: 0, points: { show: false },
          paths: uPlot.paths.bars({ size: [1, Infinity], gap: 0 }) }
      ],
      hooks: { draw: [function (u) { vlines(u, c.marks, "rgba(20,20,20,0.35)", 1); vlines(u, c.clip, "#c92a2a", 2); }] }
    };
    return new uPlot(opts, [c.x, s.y], el);
  }

  var kinds = { bars: bars, pareto: pareto, histogram: histogram };
  specs.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    try {
      kinds[c.kind](el, c);
      drawn.push(c.id);
    } catch (e) {
      el.textContent = "chart failed: " + e;
      // Re-thrown outside the loop: the other charts still draw, and the error still reaches the console.
      setTimeout(function () { throw e; });
    }
  });
  document.body.setAttribute("data-charts-drawn", String(drawn.length));
})();
