// rian workbench: the little that needs a script. Every page works without it; with it,
// selecting text fills the coding form, codes can be picked by typing or by a number key,
// and a save that fails says so without leaving the page, so nothing typed is lost.
"use strict";

const thai = document.documentElement.lang !== "en";
const say = (th, en) => (thai ? th : en);

// ---- coding a selection ---------------------------------------------------------------

// Offsets are counted in Unicode code points, the unit rian stores spans in; the server
// widens the passage to whole words.
function selectionIn(text) {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!text.contains(range.commonAncestorContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(text);
  before.setEnd(range.startContainer, range.startOffset);
  const start = Array.from(before.toString()).length;
  const chosen = range.toString();
  return { start, end: start + Array.from(chosen).length, chosen };
}

document.addEventListener("selectionchange", () => {
  for (const text of document.querySelectorAll(".text[data-document]")) {
    const picked = selectionIn(text);
    const form = document.getElementById("code-form-" + text.dataset.document);
    if (!picked || !form) continue;
    form.elements.start.value = picked.start;
    form.elements.end.value = picked.end;
    const shown = picked.chosen.length > 120 ? picked.chosen.slice(0, 120) + "…" : picked.chosen;
    form.querySelector(".selected").textContent = shown;
    form.classList.add("active");
  }
});

// Type-ahead: the list of codes narrows to those whose key or Thai or English name holds
// what is typed; Enter codes the selection with the first that is left.
for (const box of document.querySelectorAll(".code-form .typeahead")) {
  const form = box.form;
  const select = form.elements.code;
  box.addEventListener("input", () => {
    const q = box.value.trim().toLowerCase();
    let first = null;
    for (const option of select.options) {
      const match = !q || option.dataset.names.toLowerCase().includes(q);
      option.hidden = !match;
      if (match && !first) first = option;
    }
    if (first) select.value = first.value;
  });
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      form.requestSubmit(form.querySelector("button:not([name]):not([formaction])"));
    }
  });
}

// A number key picks a top-level code while a passage is selected; "/" goes to the
// type-ahead. Keys typed into a field are the field's.
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const form = document.querySelector(".code-form.active");
  if (!form || !form.elements.start.value) return;
  if (e.key === "/") {
    e.preventDefault();
    form.querySelector(".typeahead").focus();
    return;
  }
  const quick = form.querySelector(`button[data-key="${CSS.escape(e.key)}"]`);
  if (quick) {
    e.preventDefault();
    form.requestSubmit(quick);
  }
});

// ---- saving -------------------------------------------------------------------------

// Forms post in the background: on success the page is reloaded where the person was;
// on a refusal or a failure the reason shows beside the form and every field keeps what
// was typed. File uploads post the ordinary way.
const SCROLL_KEY = "rian-scroll";

function showFailure(form, message) {
  let box = form.querySelector(".save-failed");
  if (!box) {
    box = document.createElement("p");
    box.className = "save-failed";
    box.setAttribute("role", "alert");
    form.prepend(box);
  }
  box.textContent = message;
}

document.addEventListener("submit", async (e) => {
  const form = e.target;
  // Sign-in posts the ordinary way: the browser then offers to remember the password.
  if (form.method.toLowerCase() !== "post" || form.enctype === "multipart/form-data" || "plain" in form.dataset) return;
  e.preventDefault();
  const action = e.submitter && e.submitter.hasAttribute("formaction") ? e.submitter.formAction : form.action;
  const body = new URLSearchParams(new FormData(form, e.submitter));
  let response;
  try {
    response = await fetch(action, { method: "POST", body, credentials: "same-origin" });
  } catch {
    showFailure(form, say("บันทึกไม่สำเร็จ: ติดต่อ rian ไม่ได้ ข้อมูลที่กรอกยังอยู่ ลองอีกครั้ง",
      "Not saved: rian could not be reached. What you entered is still here; try again."));
    return;
  }
  if (response.ok) {
    const to = new URL(response.url);
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: to.pathname, y: window.scrollY }));
    window.location.assign(to.pathname + to.search);
    return;
  }
  let reason = "";
  try {
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const alert = page.querySelector("[role=alert]");
    reason = alert ? alert.textContent.trim() : page.body.textContent.trim().slice(0, 300);
  } catch {
    reason = String(response.status);
  }
  showFailure(form, say("ยังไม่ได้บันทึก: ", "Not saved: ") + reason);
});

// After a save, come back to the same place on the page.
(() => {
  const saved = sessionStorage.getItem(SCROLL_KEY);
  if (!saved) return;
  sessionStorage.removeItem(SCROLL_KEY);
  try {
    const { path, y } = JSON.parse(saved);
    if (path === window.location.pathname && !window.location.hash) window.scrollTo(0, y);
  } catch {
    // A value from another version: ignore it.
  }
})();

// ---- the network graph: zoom, pan, and an actor's ties --------------------------------

for (const box of document.querySelectorAll(".graph[data-zoom]")) {
  const viewport = box.querySelector("svg .viewport");
  const svg = box.querySelector("svg");
  if (!viewport || !svg) continue;
  let scale = 1, x = 0, y = 0;
  const apply = () => viewport.setAttribute("transform", `translate(${x} ${y}) scale(${scale})`);
  const box_ = svg.viewBox.baseVal;
  const zoom = (by, cx = box_.width / 2, cy = box_.height / 2) => {
    const next = Math.min(8, Math.max(0.5, scale * by));
    x = cx - (cx - x) * (next / scale);
    y = cy - (cy - y) * (next / scale);
    scale = next;
    apply();
  };
  for (const b of box.querySelectorAll("[data-zoom-by]")) {
    b.addEventListener("click", () => zoom(parseFloat(b.dataset.zoomBy)));
  }
  box.querySelector("[data-zoom-reset]")?.addEventListener("click", () => {
    scale = 1; x = 0; y = 0; apply();
  });
  const toSvg = (e) => {
    const r = svg.getBoundingClientRect();
    return [(e.clientX - r.left) * (box_.width / r.width), (e.clientY - r.top) * (box_.height / r.height)];
  };
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const [cx, cy] = toSvg(e);
    zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, cx, cy);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (e) => {
    if (e.target.closest(".node")) return;
    drag = { from: toSvg(e), x, y };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const [px, py] = toSvg(e);
    x = drag.x + px - drag.from[0];
    y = drag.y + py - drag.from[1];
    apply();
  });
  svg.addEventListener("pointerup", () => { drag = null; });
}

const tiesData = document.getElementById("ties-data");
if (tiesData) {
  const ties = JSON.parse(tiesData.textContent || "{}");
  const graph = document.querySelector(".graph");
  const select = (id) => {
    const node = graph.querySelector(`.node[data-node="${CSS.escape(id)}"]`);
    if (!node || !id.startsWith("actor-")) return;
    graph.classList.add("selecting");
    for (const el of graph.querySelectorAll(".chosen")) el.classList.remove("chosen");
    node.classList.add("chosen");
    for (const edge of graph.querySelectorAll(`.edge[data-from="${CSS.escape(id)}"], .edge[data-to="${CSS.escape(id)}"]`)) {
      edge.classList.add("chosen");
      const other = edge.dataset.from === id ? edge.dataset.to : edge.dataset.from;
      graph.querySelector(`.node[data-node="${CSS.escape(other)}"]`)?.classList.add("chosen");
    }
    const panel = document.getElementById("actor-panel");
    panel.hidden = false;
    document.getElementById("actor-name").textContent = node.querySelector("text")?.textContent || id;
    const list = document.getElementById("actor-ties");
    list.replaceChildren();
    for (const t of ties[id] || []) {
      const li = document.createElement("li");
      const site = document.createElement("a");
      site.href = t.site_link;
      site.textContent = t.site || "";
      li.append(site, ` · ${t.kind}`);
      if (t.note) li.append(` · ${t.note}`);
      if (t.evidence) {
        const ev = document.createElement("a");
        ev.href = t.evidence;
        ev.className = "evidence";
        ev.textContent = say("หลักฐาน", "evidence");
        li.append(" · ", ev);
      }
      list.append(li);
    }
    if (!(ties[id] || []).length) {
      const li = document.createElement("li");
      li.textContent = say("ยังไม่มีความสัมพันธ์", "no ties yet");
      list.append(li);
    }
  };
  graph.addEventListener("click", (e) => {
    const node = e.target.closest(".node");
    if (node && node.dataset.node.startsWith("actor-")) {
      e.preventDefault();
      select(node.dataset.node);
    }
  });
  graph.addEventListener("keydown", (e) => {
    const node = e.target.closest(".node");
    if (node && e.key === "Enter") select(node.dataset.node);
  });
  for (const b of document.querySelectorAll("[data-select-node]")) {
    b.addEventListener("click", () => select(b.dataset.selectNode));
  }
}

// The printable report's print button.
for (const b of document.querySelectorAll("[data-print]")) {
  b.addEventListener("click", () => window.print());
}
