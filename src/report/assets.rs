//! The report's style sheet and script, inlined into every page: nothing is fetched.
//! The style follows the reader's light or dark preference, reads at a phone's width
//! and prints; the script only filters the decisions and highlights a finding's path
//! (and marks `<body>` `data-script="ran"`, which shows the controls that need it).

/// The style sheet.
pub const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1f21;--muted:#5f6368;--line:#d0d4d9;--card:#f6f8fa;
--user:#2e86de;--group:#8e44ad;--machine:#27ae60;--secret:#d35400;--other:#7f8c8d;--hl:#e74c3c;
--high:#c0392b;--medium:#d68910;--low:#566573}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e6e6;--muted:#a0a4a8;--line:#3a3f44;
--card:#1e2226;--user:#5dade2;--group:#bb8fce;--machine:#58d68d;--secret:#eb984e;--other:#aab7b8;--hl:#ff6b6b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;overflow-wrap:anywhere}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.5rem 0}
a{color:var(--user)}a:focus,summary:focus,input:focus,select:focus{outline:2px solid var(--hl);outline-offset:2px}
.muted{color:var(--muted)}pre{white-space:pre-wrap;max-width:100%}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
details{border:1px solid var(--line);border-radius:6px;margin:.3rem 0;background:var(--card)}
details>summary{cursor:pointer;padding:.35rem .6rem}details>*:not(summary){margin:.3rem .8rem .6rem}
ol,ul{padding-left:1.4rem}li{margin:.15rem 0}
.filters{flex-wrap:wrap;gap:.5rem;margin:.5rem 0}.filters label{display:flex;flex-direction:column;font-size:.85rem}
.filters input,.filters select{font:inherit;padding:.2rem .4rem;min-width:10rem;max-width:100%}
.sev{display:inline-block;padding:0 .4rem;border-radius:4px;color:#fff;font-size:.8rem;font-weight:600}
.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}
.graph{overflow:auto;max-width:100%;border:1px solid var(--line);border-radius:6px;background:var(--card)}
.graph svg{display:block}
.graph .node rect{stroke:var(--line);stroke-width:1;fill:var(--bg)}
.graph .node text{font-size:11px;fill:var(--fg)}
.graph .k-user rect{stroke:var(--user);stroke-width:2}.graph .k-group rect{stroke:var(--group);stroke-width:2}
.graph .k-machine rect{stroke:var(--machine);stroke-width:2}.graph .k-secret rect{stroke:var(--secret);stroke-width:2}
.graph .k-other rect{stroke:var(--other);stroke-width:2}
.graph .edge{stroke:var(--muted);stroke-width:1;fill:none;opacity:.55}
.graph .edge.conditional{stroke-dasharray:5 4}
.graph .hl rect{stroke:var(--hl);stroke-width:3}.graph .edge.hl{stroke:var(--hl);stroke-width:2.5;opacity:1}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem}
.legend span::before{content:"";display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border:2px solid currentColor;vertical-align:-2px}
.filters,.scripted{display:none}body[data-script="ran"] .filters{display:flex}body[data-script="ran"] .scripted{display:block}
button.highlight{font:inherit;padding:.1rem .5rem;cursor:pointer}button.highlight[aria-pressed="true"]{outline:2px solid var(--hl)}
.timeline-bars{overflow:auto;max-width:100%}
.timeline-bars rect.grant{fill:var(--secret)}.timeline-bars rect.lockout{fill:var(--high)}.timeline-bars rect.outage{fill:var(--other)}.timeline-bars text{font-size:11px;fill:var(--fg)}
dl.rules dt{font-weight:600;margin-top:.6rem}dl.rules dd{margin:0 0 0 1rem}
table.counts{border-collapse:collapse}table.counts td,table.counts th{border:1px solid var(--line);padding:.15rem .5rem;text-align:left}
@media print{.filters,nav{display:none}details{break-inside:avoid}details:not([open])>*:not(summary){display:block}
.graph{overflow:visible;border:0}.graph svg,.timeline-bars svg{max-width:100%;height:auto}body{font-size:11pt}}
"#;

/// The script: filters and highlights, nothing else.
pub const SCRIPT: &str = r#"
(function () {
  "use strict";
  var get = function (id) { return document.getElementById(id); };
  var all = function (q) { return Array.prototype.slice.call(document.querySelectorAll(q)); };
  var items = all(".decision");
  function filter() {
    var c = ((get("filter-client") || {}).value || "").trim().toLowerCase();
    var a = ((get("filter-advertisement") || {}).value || "").trim().toLowerCase();
    var o = (get("filter-outcome") || {}).value || "";
    items.forEach(function (d) {
      var clients = (d.dataset.client || "").toLowerCase().split(" ");
      var show = (!c || clients.indexOf(c) >= 0) &&
        (!a || (d.dataset.advertisement || "").toLowerCase() === a) &&
        (!o || d.dataset.outcome === o);
      d.hidden = !show;
      var head = d.previousElementSibling;
      if (head && head.classList.contains("class")) { head.hidden = !show; }
    });
  }
  ["filter-client", "filter-advertisement", "filter-outcome"].forEach(function (id) {
    var e = get(id);
    if (e) { e.addEventListener("input", filter); e.addEventListener("change", filter); }
  });
  function highlight(button) {
    var f = button.closest(".finding");
    var on = button.getAttribute("aria-pressed") !== "true";
    all(".hl").forEach(function (n) { n.classList.remove("hl"); });
    all("button.highlight").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    if (!on || !f) { return; }
    button.setAttribute("aria-pressed", "true");
    (f.dataset.nodes || "").split(" ").concat((f.dataset.edges || "").split(" ")).forEach(function (id) {
      var n = id && get(id);
      if (n) { n.classList.add("hl"); n.parentNode.appendChild(n); }
    });
  }
  all("button.highlight").forEach(function (b) {
    b.addEventListener("click", function () { highlight(b); });
  });
  window.addEventListener("beforeprint", function () {
    all("details").forEach(function (d) { d.setAttribute("open", ""); });
  });
  document.body.setAttribute("data-script", "ran");
})();
"#;
