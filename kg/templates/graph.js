/* kg graph browser. Every string from the data reaches the page through textContent or a
   vis-network canvas label; nothing here ever assigns innerHTML. */
(function () {
  "use strict";

  /* Milliseconds since navigation start at each stage; benchmarks/bench_viz.py reads them. */
  var times = window.kgTimes = { script: performance.now() };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var info = data.info;
  var articles = data.articles || {};
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeCls = {};
  data.nodes.forEach(function (n) { nodeCls[n.id] = n.cls; });
  /* Overview mode (a big store): nodes are actors and places, edges fold many facts; nodes and
     edges not drawn at first travel in data.hidden and are added on double-click or search. */
  var overview = data.mode === "overview";
  var facts = data.facts || {};
  var hidden = data.hidden || { nodes: [], edges: [] };
  var hiddenNode = {};
  hidden.nodes.forEach(function (n) { hiddenNode[n.id] = n; });
  var hiddenEdgesOf = {};
  hidden.edges.forEach(function (e) {
    [e.from, e.to].forEach(function (id) { (hiddenEdgesOf[id] = hiddenEdgesOf[id] || []).push(e); });
  });
  var PAGE = 10;
  var hiddenClasses = new Set();
  var hiddenRelations = new Set();
  var DIM_NODE = { background: "#1e293b", border: "#273449",
                   highlight: { background: "#1e293b", border: "#273449" },
                   hover: { background: "#1e293b", border: "#273449" } };
  var DIM_FONT = { color: "#334155", strokeWidth: 0, size: 11 };
  var DIM_EDGE = { color: "#1e293b", highlight: "#1e293b", hover: "#1e293b", opacity: 0.5 };
  var DIM_EDGE_FONT = { color: "rgba(0,0,0,0)", strokeWidth: 0, size: 10 };

  /* ---------- DOM helpers (text only) ---------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      if (arguments[i]) { parent.appendChild(arguments[i]); }
    }
    return parent;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s<>"]+$/i.test(url) ? url : null;
  }
  function link(url, text) {
    var u = safeUrl(url);
    if (!u) { return el("span", null, text); }
    var a = el("a", null, text);
    a.href = u;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function swatch(color, shape) {
    var s = el("span", "sw " + (shape || "dot"));
    s.style.background = color;
    return s;
  }
  function lineSwatch(color, dashed, width) {
    var s = el("span", "line" + (dashed ? " dashed" : ""));
    s.style.borderTopColor = color;
    s.style.borderTopWidth = Math.max(1.5, width) + "px";
    s.style.color = color;
    return s;
  }
  function classColor(cls) {
    for (var i = 0; i < data.classes.length; i++) {
      if (data.classes[i].name === cls) { return data.classes[i]; }
    }
    return { color: "#94a3b8", shape: "dot" };
  }
  function labelOf(id) { return (info.nodes[id] || {}).label || id; }
  function nodeButton(id) {
    var b = el("button", "linkbtn", labelOf(id));
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function section(title) {
    var s = el("section");
    add(s, el("h3", null, title));
    return s;
  }
  function defs(rows) {
    var dl = el("dl");
    rows.forEach(function (r) {
      if (r[1] === undefined || r[1] === null || r[1] === "") { return; }
      add(dl, el("dt", null, r[0]));
      var dd = el("dd");
      if (r[1] instanceof Node) { add(dd, r[1]); } else { dd.textContent = String(r[1]); }
      add(dl, dd);
    });
    return dl;
  }
  function articleItem(iri) {
    var meta = articles[iri] || {};
    var li = el("li");
    add(li, link(iri, meta.title || iri));
    if (meta.date) { add(li, el("span", "date", " \u00b7 " + meta.date)); }
    return li;
  }

  /* ---------- network ---------- */
  var panel = document.getElementById("panel");
  var container = document.getElementById("network");
  times.data = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;
  times.network = performance.now();

  function ready() {
    if (window.kgReady) { return; }
    network.setOptions({ physics: { enabled: false } });
    document.getElementById("loading").hidden = true;
    window.kgReady = true;
    times.ready = window.kgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  }
  network.on("stabilizationProgress", function (p) {
    var pct = Math.round(100 * p.iterations / Math.max(1, p.total));
    document.getElementById("loading-bar").style.width = pct + "%";
  });
  network.once("stabilizationIterationsDone", function () { fitBesideLegend(); ready(); });
  if (!data.options.physics || !data.options.physics.enabled) {
    /* Positions came with the data (or there is nothing to lay out): no stabilisation runs. */
    window.requestAnimationFrame(function () { fitBesideLegend(); showLabels(); ready(); });
  }

  /* Overview: names of data.labelSize px and up (the biggest nodes) are drawn at the fitted
     zoom; smaller ones fade in as the reader zooms in (vis skips a label whose on-screen size
     is below drawThreshold - 1 and fades it up to drawThreshold), and every name shows on
     hover. Sizes are meant for a big graph, fitted at about a third of canvas size; a small
     one, fitted closer, gets its fonts scaled down by as much, so names stay readable
     rather than huge. */
  var labelScaling = null;
  var fontFactor = 1;
  function scaledFont(font) { return Object.assign({}, font, { size: font.size * fontFactor }); }
  function showLabels() {
    if (!overview || !data.nodes.length) { return; }
    var scale = network.getScale();
    fontFactor = Math.min(1, (data.labelScale || 0.34) / Math.max(scale, 1e-3));
    labelScaling = { label: { drawThreshold: data.labelSize * fontFactor * scale, maxVisible: 200 } };
    nodes.update(data.nodes.map(function (n) {
      n.font = scaledFont(n.font);
      return { id: n.id, font: n.font, scaling: labelScaling };
    }));
  }

  /* Fit the graph into the part of the canvas the floating legend does not cover. */
  function fitBesideLegend() {
    var pos = network.getPositions();
    var ids = Object.keys(pos);
    var w = container.clientWidth, h = container.clientHeight;
    if (!ids.length || !w || !h) { network.fit(); return; }
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id];
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    var legend = document.getElementById("legend");
    var inset = legend.hidden || legend.offsetWidth + 24 > w / 2 ? 0 : legend.offsetWidth + 24;
    var padX = 90, padY = 50;  /* room for labels and shapes around the outermost centres */
    var scale = Math.min((w - inset - 2 * padX) / Math.max(1, x1 - x0),
                         (h - 2 * padY) / Math.max(1, y1 - y0), 1.5);
    scale = Math.max(scale, 0.05);
    network.moveTo({ scale: scale,
                     position: { x: (x0 + x1) / 2 - inset / 2 / scale, y: (y0 + y1) / 2 } });
  }
  if (data.nodes.length === 0) {
    document.getElementById("empty").hidden = false;
    ready();
  }

  /* ---------- visibility (legend toggles) ---------- */
  function applyVisibility() {
    var dated = datesActive();
    var shown = {};
    edges.update(data.edges.map(function (e) {
      var hide = hiddenRelations.has(e.rel) || hiddenClasses.has(nodeCls[e.from]) ||
        hiddenClasses.has(nodeCls[e.to]) || (dated && !edgeInDates(e.id));
      if (!hide) { shown[e.from] = shown[e.to] = true; }
      return { id: e.id, hidden: hide };
    }));
    /* Under a date filter a node with no edge left in the period goes too. */
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, hidden: hiddenClasses.has(n.cls) || (dated && !shown[n.id]) };
    }));
  }

  /* ---------- date filter (overview; facts dated by their article) ---------- */
  var dateFrom = "", dateTo = "";
  function datesActive() { return overview && !!(dateFrom || dateTo); }
  function inDates(fid) {
    if (!datesActive()) { return true; }
    var day = (facts[fid] || {}).day;
    return !!day && (!dateFrom || day >= dateFrom) && (!dateTo || day <= dateTo);
  }
  /* An edge stays when one of the facts it lists falls in the period; links with no facts
     behind them (standsFor, affiliation) say who is who and always stay. */
  function edgeInDates(eid) {
    var e = info.edges[eid];
    if (!e || !e.facts || !e.facts.length) { return true; }
    return e.facts.some(inDates);
  }

  /* ---------- neighbourhood highlight ---------- */
  var highlighted = null;
  function highlight(id) {
    var keep = new Set([id].concat(network.getConnectedNodes(id)));
    var keepEdges = new Set(network.getConnectedEdges(id));
    nodes.update(data.nodes.map(function (n) {
      return keep.has(n.id) ? { id: n.id, color: n.color, font: n.font }
                            : { id: n.id, color: DIM_NODE, font: DIM_FONT };
    }));
    edges.update(data.edges.map(function (e) {
      return keepEdges.has(e.id) ? { id: e.id, color: e.color, font: e.font }
                                 : { id: e.id, color: DIM_EDGE, font: DIM_EDGE_FONT };
    }));
    highlighted = id;
  }
  function unhighlight() {
    if (highlighted === null) { return; }
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: n.color, font: n.font }; }));
    edges.update(data.edges.map(function (e) { return { id: e.id, color: e.color, font: e.font }; }));
    highlighted = null;
  }

  /* Search and the panel's name buttons land here: the node (added first if it was hidden),
     its neighbourhood highlighted and fitted to the screen. */
  function focusNode(id) {
    if (!nodes.get(id)) {
      if (!hiddenNode[id]) { return; }
      addNodes([id], null);
      addNodes(hiddenNeighbours(id), id);
    }
    if (hiddenClasses.has(nodeCls[id])) {
      hiddenClasses.delete(nodeCls[id]);
      applyVisibility();
      renderLegend();
    }
    network.selectNodes([id]);
    var around = [id].concat(network.getConnectedNodes(id));
    network.fit({ nodes: around, maxZoomLevel: 1.25,
                  animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    highlight(id);
    showNode(id);
  }

  /* ---------- expanding hidden neighbours (overview) ---------- */
  function hiddenNeighbours(id) {
    var out = [];
    (hiddenEdgesOf[id] || []).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      if (!edges.get(e.id) && out.indexOf(other) < 0) { out.push(other); }
    });
    return out;
  }
  function anchorOf(id) {
    var best = null;
    (hiddenEdgesOf[id] || []).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      if (best === null && nodes.get(other)) { best = other; }
    });
    return best;
  }
  /* Add hidden nodes in a ring around `anchor` (or beside their first drawn neighbour, or at
     the centre of the view), then every hidden edge whose two ends are now drawn. */
  function addNodes(ids, anchor) {
    var fresh = ids.filter(function (id) { return !nodes.get(id) && hiddenNode[id]; });
    var centre = anchor ? network.getPositions([anchor])[anchor] : null;
    if (!centre && fresh.length) {
      var near = anchorOf(fresh[0]);
      centre = near ? network.getPositions([near])[near] : network.getViewPosition();
    }
    var r = 140 + 10 * fresh.length;
    var added = fresh.map(function (id, i) {
      var a = 0.4 + 2 * Math.PI * i / Math.max(1, fresh.length);
      var n = Object.assign({}, hiddenNode[id], { x: centre.x + r * Math.cos(a), y: centre.y + r * Math.sin(a) });
      if (labelScaling) { n.scaling = labelScaling; n.font = scaledFont(n.font); }
      nodeCls[id] = n.cls;
      data.nodes.push(n);
      return n;
    });
    nodes.add(added);
    var newEdges = [];
    var seen = new Set();
    fresh.concat(anchor ? [anchor] : []).forEach(function (id) {
      (hiddenEdgesOf[id] || []).forEach(function (e) {
        if (!seen.has(e.id) && !edges.get(e.id) && nodes.get(e.from) && nodes.get(e.to)) {
          seen.add(e.id);
          newEdges.push(e);
          data.edges.push(e);
        }
      });
    });
    edges.add(newEdges);
    return added.length + newEdges.length;
  }
  function expand(id) {
    if (!nodes.get(id)) { focusNode(id); return; }
    addNodes(hiddenNeighbours(id), id);
    applyVisibility();
    network.selectNodes([id]);
    highlight(id);
    showNode(id);
  }

  /* ---------- details panel ---------- */
  function header(title, cls, extra) {
    var style = classColor(cls);
    add(panel, el("h2", null, title));
    var k = el("div", "kicker");
    var badge = add(el("span", "badge"), swatch(style.color, style.shape), el("span", null, cls));
    add(k, badge);
    if (extra) { add(k, el("span", null, extra)); }
    add(panel, k);
  }

  function connections(id) {
    var ids = network.getConnectedEdges(id);
    if (!ids.length) { return null; }
    var s = section("Connections (" + ids.length + ")");
    var ul = el("ul", "list");
    ids.slice(0, 200).forEach(function (eid) {
      var e = info.edges[eid];
      var li = el("li");
      var rel = el("button", "linkbtn rel", (e.from === id ? "\u2192 " : "\u2190 ") + e.rel +
                   (e.weight > 1 ? " (" + e.weight + ")" : ""));
      rel.type = "button";
      rel.addEventListener("click", function () { network.selectEdges([eid]); showEdge(eid); });
      add(li, rel, nodeButton(e.from === id ? e.to : e.from));
      add(ul, li);
    });
    return add(s, ul);
  }

  function sourceSection(ev, articleIri) {
    var s = section("Evidence");
    if (ev) { add(s, el("blockquote", "evidence", ev)); }
    if (articleIri) { add(s, add(el("ul", "list"), articleItem(articleIri))); }
    return ev || articleIri ? s : null;
  }

  function showNode(id) {
    var n = info.nodes[id];
    if (!n) { return; }
    clear(panel);
    if (n.cls === "Statement") {
      header("Statement", n.cls, n.polarity === "Negative" ? "negated" : null);
      add(panel, el("blockquote", null, n.text || n.label));
      add(panel, section("Details"));
      panel.lastChild.appendChild(defs([["Verb", n.verb], ["Reported", n.direct ? "direct quote" : "indirect"],
                                        ["Polarity", n.polarity]]));
      add(panel, sourceSection(n.evidence, (n.articles || [])[0]));
      add(panel, mentionsSection(n.mentions));
      add(panel, connections(id));
      return;
    }
    if (n.cls === "Deployment") {
      header(n.label, n.cls, null);
      add(panel, section("Details"));
      panel.lastChild.appendChild(defs([["Action", n.action]]));
      add(panel, sourceSection(n.evidence, (n.articles || [])[0]));
      add(panel, connections(id));
      return;
    }
    header(n.label, n.cls, n.role || null);
    if (n.aliases && n.aliases.length) {
      var chips = el("div", "chips");
      n.aliases.forEach(function (a) { add(chips, el("span", "chip", a)); });
      add(panel, add(section("Also known as"), chips));
    }
    var wd = safeUrl(n.wikidata) && /^https?:\/\/(www\.)?wikidata\.org\//i.test(n.wikidata) ? n.wikidata : null;
    var gn = safeUrl(n.geonames) && /^https:\/\/sws\.geonames\.org\//i.test(n.geonames) ? n.geonames : null;
    var rows = [["Wikidata", wd ? link(wd, wd.replace(/^.*\//, "")) : null],
                ["GeoNames", gn ? link(gn, gn.replace(/\/$/, "").replace(/^.*\//, "")) : null],
                ["Coordinates", n.lat && n.long ? n.lat + ", " + n.long : null], ["Role", n.role],
                ["PageRank", n.rank !== undefined ? n.rank.toFixed(4) : null]];
    if (n.community !== null && n.community !== undefined) { rows.push(["Community", n.community + 1]); }
    if (overview) { rows.push(["Statements", n.said], ["Named in", n.named ? n.named + " statement(s)" : null]); }
    add(panel, add(section("Details"), defs(rows)));
    var more = overview ? hiddenNeighbours(id).length : 0;
    if (more) {
      var s = section("Not drawn");
      var b = el("button", "linkbtn", "Show " + more + " more neighbour(s)");
      b.type = "button";
      b.addEventListener("click", function () { expand(id); });
      add(panel, add(s, add(el("p", "muted", "Double-click the node, or: "), b)));
    }
    if (n.articles && n.articles.length) {
      var ul = el("ul", "list");
      n.articles.forEach(function (a) { add(ul, articleItem(a)); });
      var total = n.articlesTotal || n.articles.length;
      add(panel, add(section("Mentioned in (" + total + ")" + (total > n.articles.length ? ", " + n.articles.length + " listed" : "")), ul));
    }
    add(panel, connections(id));
  }

  function localName(iri) {
    var tail = String(iri).replace(/^.*\//, "");
    try { tail = decodeURIComponent(tail); } catch (err) { /* shown as written */ }
    return tail.replace(/_/g, " ");
  }

  /* Who a statement names (kg:mentions): drawn names are buttons, others plain text. */
  function mentionsSection(ids) {
    if (!ids || !ids.length) { return null; }
    var chips = el("div", "chips");
    ids.forEach(function (m) {
      if (info.nodes[m]) { add(chips, nodeButton(m)); }
      else { add(chips, el("span", "chip", localName(m))); }
    });
    return add(section("Names"), chips);
  }

  /* The facts an overview edge folds, newest first, PAGE at a time. */
  function factList(e, title) {
    var s = section(title);
    var box = el("div");
    add(s, box);
    var ids = (e.facts || []).filter(inDates);
    var pages = Math.max(1, Math.ceil(ids.length / PAGE));
    function render(page) {
      clear(box);
      var ul = el("ul", "list facts");
      ids.slice(page * PAGE, page * PAGE + PAGE).forEach(function (fid) {
        var f = facts[fid] || {};
        var li = el("li");
        var quote = f.kind === "ControlFact" ? f.evidence : f.text;
        if (quote) { add(li, el("blockquote", f.kind === "ControlFact" ? "evidence" : null, quote)); }
        var meta = el("div", "date");
        var bits = [f.date, f.negated ? "denied" : null, f.verb, f.as_of ? "as of " + f.as_of : null];
        meta.textContent = bits.filter(function (x) { return x; }).join(" \u00b7 ");
        if (f.article) {
          var meta2 = articles[f.article] || {};
          if (meta.textContent) { add(meta, document.createTextNode(" \u00b7 ")); }
          add(meta, link(f.article, meta2.title || f.article));
        }
        add(li, meta);
        add(ul, li);
      });
      add(box, ul);
      if (pages > 1) {
        var nav = el("div", "pager");
        var newer = el("button", "linkbtn", "\u2190 Newer");
        newer.type = "button";
        newer.disabled = page === 0;
        newer.addEventListener("click", function () { render(page - 1); });
        var older = el("button", "linkbtn", "Older \u2192");
        older.type = "button";
        older.disabled = page >= pages - 1;
        older.addEventListener("click", function () { render(page + 1); });
        add(nav, newer, el("span", "muted", "Page " + (page + 1) + " of " + pages), older);
        add(box, nav);
      }
      if (datesActive()) {
        add(box, el("p", "muted", ids.length + " of those listed fall between " + (dateFrom || "the first") +
                    " and " + (dateTo || "the last") + "."));
      } else if ((e.total || 0) > ids.length) {
        add(box, el("p", "muted", "The newest " + ids.length + " of " + e.total + " are listed."));
      }
    }
    render(0);
    return s;
  }

  function showEdge(eid) {
    var e = info.edges[eid];
    if (!e) { return; }
    clear(panel);
    var rel = null;
    data.relations.forEach(function (r) { if (r.name === e.rel) { rel = r; } });
    add(panel, el("h2", null, e.rel));
    var k = el("div", "kicker");
    if (rel) { add(k, add(el("span", "badge"), lineSwatch(rel.color, rel.dashes, rel.width), el("span", null, "relation"))); }
    add(panel, k);
    add(panel, add(section("Between"), defs([["From", nodeButton(e.from)], ["To", nodeButton(e.to)]])));
    if (e.facts) {
      var noun = { claims: "Statements naming " + labelOf(e.to), refuses: "Refusals",
                   controlledBy: "Reports of control", claimedControl: "Claims of control",
                   claimedRefusal: "Claimed refusals" }[e.rel];
      if (noun) { add(panel, factList(e, noun + " (" + e.total + "), newest first")); }
      else { add(panel, add(section("Details"), defs([["Stated in", e.stated_in ? e.stated_in + " article(s)" : null]]))); }
      return;
    }
    if (e.text) {
      add(panel, add(section(e.polarity === "Negative" ? "Claim (negated)" : "Claim"), el("blockquote", null, e.text)));
    }
    if (e.rel === "disputes") {
      add(panel, add(section("Disputed by these words"), el("blockquote", null, e.text || "")));
    }
    add(panel, add(section("Details"), defs([["Verb", e.verb], ["Action", e.action], ["Refuses", e.deployment],
                                             ["As of", e.as_of], ["Date", e.date],
                                             ["Status", claimLine(e)]])));
    add(panel, sourceSection(e.evidence, e.article));
  }

  /* "claimed by X on D, disputed by Y": a fact only one side claims (kg:status kg:Claimed). */
  function claimLine(e) {
    if (!e.claimed_by) { return null; }
    var line = "claimed by " + e.claimed_by + (e.as_of ? " on " + e.as_of : "");
    if (e.disputed_by && e.disputed_by.length) { line += ", disputed by " + e.disputed_by.join(", "); }
    return line;
  }

  function showOverview() {
    clear(panel);
    add(panel, el("h2", null, "Overview"));
    add(panel, el("p", "muted", "Click a node or an edge for its details and evidence. Search finds names and " +
      "aliases. Click legend entries to hide or show a type or relation."));
    var ranked = Object.keys(info.nodes).filter(function (id) { return info.nodes[id].kind === "entity"; });
    ranked.sort(function (a, b) { return info.nodes[b].rank - info.nodes[a].rank; });
    if (ranked.length) {
      var ul = el("ul", "list");
      ranked.slice(0, 12).forEach(function (id) {
        var li = el("li");
        var st = classColor(info.nodes[id].cls);
        add(li, swatch(st.color, st.shape));
        li.style.display = "flex"; li.style.gap = "8px"; li.style.alignItems = "center";
        add(li, nodeButton(id), el("span", "date", info.nodes[id].cls));
        add(ul, li);
      });
      add(panel, add(section("Most central"), ul));
    }
    if (overview && data.summary) {
      var sm = data.summary;
      add(panel, add(section("What is drawn"), defs([
        ["Entities", data.nodes.length + " drawn of " + sm.entities + " (" + sm.linked + " linked)"],
        ["Statements", sm.statements + ", of which " + sm.about + " name someone"]])));
    }
    if (data.also && data.also.length) {
      var chips = el("div", "chips");
      data.also.forEach(function (id) { add(chips, nodeButton(id)); });
      add(panel, add(section("Also mentioned (" + data.also.length + ")"), chips));
    }
    var arts = Object.keys(articles);
    if (arts.length) {
      var al = el("ul", "list");
      arts.sort(function (a, b) { return String(articles[b].date || "").localeCompare(String(articles[a].date || "")); });
      arts.slice(0, 30).forEach(function (a) { add(al, articleItem(a)); });
      add(panel, add(section("Articles (" + arts.length + ")"), al));
    }
  }

  /* ---------- legend ---------- */
  function toggleButton(on, parts, onClick) {
    var b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", on ? "true" : "false");
    parts.forEach(function (p) { add(b, p); });
    b.addEventListener("click", onClick);
    return b;
  }
  function renderLegend() {
    var legend = document.getElementById("legend");
    clear(legend);
    if (data.classes.length) {
      add(legend, el("h3", null, "Types"));
      data.classes.forEach(function (c) {
        add(legend, toggleButton(!hiddenClasses.has(c.name),
          [swatch(data.communities.length ? "#94a3b8" : c.color, c.shape), el("span", "name", c.name),
           el("span", "count", c.count)],
          function () {
            if (hiddenClasses.has(c.name)) { hiddenClasses.delete(c.name); } else { hiddenClasses.add(c.name); }
            applyVisibility(); renderLegend();
          }));
      });
    }
    if (data.relations.length) {
      add(legend, el("h3", null, "Relations"));
      data.relations.forEach(function (r) {
        add(legend, toggleButton(!hiddenRelations.has(r.name),
          [lineSwatch(r.color, r.dashes, r.width), el("span", "name", r.name), el("span", "count", r.count)],
          function () {
            if (hiddenRelations.has(r.name)) { hiddenRelations.delete(r.name); } else { hiddenRelations.add(r.name); }
            applyVisibility(); renderLegend();
          }));
      });
    }
    if (data.communities.length) {
      add(legend, el("h3", null, "Communities"));
      data.communities.slice(0, 12).forEach(function (c) {
        var name = c.members && c.members.length ? c.members.join(", ") : "Community " + (c.id + 1);
        var row = add(el("div", "row"), swatch(c.color, "dot"), el("span", "name", name), el("span", "count", c.size));
        row.title = name;
        add(legend, row);
      });
    }
    legend.hidden = !legend.firstChild;
  }

  /* ---------- search ---------- */
  var input = document.getElementById("search");
  var suggest = document.getElementById("suggest");
  var searchIndex = data.nodes.concat(hidden.nodes).map(function (n) {
    var i = info.nodes[n.id];
    var names = [i.label].concat(i.aliases || []);
    return { id: n.id, names: names, lower: names.map(function (s) { return String(s).toLowerCase(); }),
             entity: i.kind === "entity", rank: i.rank || 0 };
  });
  var matches = [];
  var active = 0;

  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var out = [];
    searchIndex.forEach(function (item) {
      var best = null;
      item.lower.forEach(function (s, k) {
        var score = s === q ? 0 : s.indexOf(q) === 0 ? 1 : s.indexOf(q) > -1 ? 2 : null;
        if (score !== null && (best === null || score < best.score)) { best = { score: score, name: item.names[k] }; }
      });
      if (best) { out.push({ id: item.id, score: best.score, name: best.name, entity: item.entity, rank: item.rank }); }
    });
    out.sort(function (a, b) {
      return (a.score - b.score) || ((b.entity ? 1 : 0) - (a.entity ? 1 : 0)) || (b.rank - a.rank);
    });
    return out.slice(0, 8);
  }
  function renderSuggest() {
    clear(suggest);
    if (!input.value.trim()) { suggest.hidden = true; return; }
    if (!matches.length) {
      add(suggest, el("div", "none", "No match"));
    }
    matches.forEach(function (m, k) {
      var i = info.nodes[m.id];
      var st = classColor(i.cls);
      var b = el("button", k === active ? "active" : "");
      b.type = "button";
      add(b, swatch(st.color, st.shape), el("span", null, i.label),
          el("span", "hint", m.name !== i.label ? "alias: " + m.name : i.cls));
      b.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(m.id); });
      add(suggest, b);
    });
    suggest.hidden = false;
  }
  function pick(id) {
    suggest.hidden = true;
    input.value = labelOf(id);
    focusNode(id);
  }
  input.addEventListener("input", function () { matches = search(input.value); active = 0; renderSuggest(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (matches.length) {
        active = (active + (ev.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
        renderSuggest();
      }
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      matches = search(input.value);
      if (matches.length) { pick(matches[Math.min(active, matches.length - 1)].id); }
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      suggest.hidden = true;
    }
  });
  input.addEventListener("blur", function () { suggest.hidden = true; });

  /* ---------- wiring ---------- */
  network.on("doubleClick", function (p) {
    if (overview && p.nodes.length) { expand(p.nodes[0]); }
  });
  network.on("click", function (p) {
    if (p.nodes.length) { highlight(p.nodes[0]); showNode(p.nodes[0]); }
    else if (p.edges.length) { unhighlight(); showEdge(p.edges[0]); }
    else { unhighlight(); showOverview(); }
  });

  if (overview && data.dates) {
    var fromInput = document.getElementById("date-from");
    var toInput = document.getElementById("date-to");
    [fromInput, toInput].forEach(function (input) {
      input.min = data.dates.min;
      input.max = data.dates.max;
      input.addEventListener("change", function () {
        dateFrom = fromInput.value || "";
        dateTo = toInput.value || "";
        applyVisibility();
      });
    });
    document.getElementById("dates").hidden = false;
  }

  var stats = document.getElementById("stats");
  add(stats, el("b", null, data.nodes.length), document.createTextNode(" nodes \u00b7 "),
      el("b", null, data.edges.length), document.createTextNode(" edges \u00b7 "),
      el("b", null, Object.keys(articles).length), document.createTextNode(" articles"));
  if (data.notes.length) {
    var notes = document.getElementById("notes");
    notes.textContent = data.notes.join(" ");
    notes.hidden = false;
    document.body.classList.add("has-notes");
    network.redraw();
  }
  renderLegend();
  showOverview();
  if (data.focus && nodes.get(data.focus)) {
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }

  window.kg = { focusNode: focusNode, showNode: showNode, showEdge: showEdge, highlight: highlight,
                unhighlight: unhighlight, search: search, expand: expand };
})();
