// rian workbench: fills a document's coding form from the text a person selects in it.
// Offsets are counted in Unicode code points, the unit rian stores spans in.
"use strict";
document.addEventListener("selectionchange", () => {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  const node = range.commonAncestorContainer;
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const text = element && element.closest(".text[data-document]");
  if (!text) return;
  const form = document.getElementById("code-form-" + text.dataset.document);
  if (!form) return;
  const before = document.createRange();
  before.selectNodeContents(text);
  before.setEnd(range.startContainer, range.startOffset);
  const start = Array.from(before.toString()).length;
  const chosen = range.toString();
  form.elements.start.value = start;
  form.elements.end.value = start + Array.from(chosen).length;
  form.querySelector(".selected").textContent = chosen.length > 120 ? chosen.slice(0, 120) + "…" : chosen;
});
