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
  if (form.method.toLowerCase() !== "post" || form.enctype === "multipart/form-data") return;
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
