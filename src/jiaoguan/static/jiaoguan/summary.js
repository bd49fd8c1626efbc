// The summary editor: a figure shows its source on hover or focus and opens the list behind it on
// click; a figure changed by hand loses the data's style until it is restored or unlinked; a statement
// no data supports (待核实) is confirmed, reworded or deleted by the author; the text goes back to the
// server as blocks of text, figures and statements to confirm. Export sends what the editor shows
// (warning first of statements still to confirm); leaving with unsaved changes asks first.
document.addEventListener("DOMContentLoaded", () => {
  const editor = document.getElementById("editor");
  if (!editor) return;
  const sources = JSON.parse(document.getElementById("fact-sources").textContent);
  const panel = document.getElementById("source");
  const claimPanel = document.getElementById("claim-panel");
  const form = document.getElementById("summary-form");
  const unsavedBadge = document.getElementById("unsaved");
  let dirty = editor.dataset.unsaved === "1";
  let submitting = false;
  let current = null; // the figure or statement the panel speaks of

  const markDirty = () => {
    dirty = true;
    if (unsavedBadge) unsavedBadge.hidden = false;
  };
  if (dirty) markDirty();
  const plain = (text) => text.replace(/[\s,，]/g, "");
  const unitOf = (fact) => (fact.unit === "%" ? "" : fact.unit);
  // A figure whose text is no longer its fact's is "edited": not blue, marked, until restored or unlinked.
  const mark = (span) => {
    const fact = sources[span.dataset.fact];
    const edited = !fact || plain(span.textContent) !== plain(fact.value);
    span.classList.toggle("edited", edited);
    span.title = fact ? fact.label + "：" + fact.value + unitOf(fact) : "";
    return edited;
  };
  const show = (span) => {
    const fact = sources[span.dataset.fact];
    if (!fact) return;
    current = span;
    claimPanel.hidden = true;
    document.getElementById("source-label").textContent = fact.label;
    document.getElementById("source-value").textContent = fact.value + (unitOf(fact) ? " " + fact.unit : "");
    document.getElementById("source-query").textContent = fact.query;
    document.getElementById("source-link").href = fact.link;
    document.getElementById("source-fact-value").textContent = fact.value + unitOf(fact);
    document.getElementById("source-edited").hidden = !mark(span);
    panel.hidden = false;
  };
  const showClaim = (span) => {
    current = span;
    panel.hidden = true;
    document.getElementById("claim-text").textContent = span.textContent;
    claimPanel.hidden = false;
  };
  editor.querySelectorAll(".fact").forEach(mark);
  editor.addEventListener("mouseover", (event) => {
    const span = event.target.closest && event.target.closest(".fact");
    if (span && editor.contains(span)) show(span);
  });
  editor.addEventListener("click", (event) => {
    const fact = event.target.closest && event.target.closest(".fact");
    const claim = event.target.closest && event.target.closest(".claim");
    if (fact) show(fact); // the list opens from the panel's link, never by surprise
    else if (claim) showClaim(claim);
  });
  editor.addEventListener("input", () => {
    markDirty();
    editor.querySelectorAll(".fact").forEach(mark);
    if (current && !panel.hidden && current.classList.contains("fact")) show(current);
  });
  const unwrap = (span) => {
    span.replaceWith(document.createTextNode(span.textContent));
    editor.normalize();
  };
  const on = (id, handler) => {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", handler);
  };
  on("restore", () => {
    if (!current) return;
    current.textContent = sources[current.dataset.fact].value;
    markDirty();
    show(current);
  });
  on("unlink", () => {
    if (!current) return;
    unwrap(current);
    current = null;
    panel.hidden = true;
    markDirty();
  });
  on("confirm-claim", () => {
    if (!current) return;
    unwrap(current);
    current = null;
    claimPanel.hidden = true;
    markDirty();
  });
  on("delete-claim", () => {
    if (!current) return;
    // Take the statement's own comma with it: "台账，{statement}。" becomes "台账。", not "台账，。".
    const before = current.previousSibling;
    const after = current.nextSibling;
    current.remove();
    if (before && before.nodeType === Node.TEXT_NODE && /[，、；]$/.test(before.textContent)
        && (!after || (after.nodeType === Node.TEXT_NODE && /^[，、；。]/.test(after.textContent)))) {
      before.textContent = before.textContent.slice(0, -1);
    }
    editor.normalize();
    current = null;
    claimPanel.hidden = true;
    markDirty();
  });

  const serialize = () => {
    const blocks = [];
    editor.querySelectorAll(":scope > .block").forEach((block) => {
      const parts = [];
      const walk = (node) => {
        node.childNodes.forEach((child) => {
          if (child.nodeType === Node.TEXT_NODE) {
            if (child.textContent) parts.push(child.textContent.replace(/\s*\n\s*/g, ""));
          } else if (child.classList && child.classList.contains("fact")) {
            parts.push({ fact: child.dataset.fact, text: child.textContent });
          } else if (child.classList && child.classList.contains("claim")) {
            if (child.textContent) parts.push({ fact: "", text: child.textContent, claim: true });
          } else {
            walk(child);
          }
        });
      };
      walk(block);
      blocks.push({ kind: block.dataset.kind, parts });
    });
    return JSON.stringify(blocks);
  };
  form.addEventListener("submit", () => {
    submitting = true;
    document.getElementById("blocks").value = serialize();
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Export what the editor shows, saved or not; say first what is still to confirm.
  const exportLink = document.getElementById("export");
  const dialog = document.getElementById("export-dialog");
  const download = async () => {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("blocks", serialize());
    body.append("anyway", "1");
    const response = await fetch(exportLink.dataset.url, { method: "POST", body, credentials: "same-origin" });
    if (!response.ok) {
      window.alert(await response.text());
      return;
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const named = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = named ? decodeURIComponent(named[1]) : "summary.docx";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  };
  exportLink.addEventListener("click", (event) => {
    event.preventDefault();
    const claims = [...editor.querySelectorAll(".claim")].filter((c) => c.textContent.trim());
    if (!claims.length) {
      download();
      return;
    }
    const list = document.getElementById("export-dialog-claims");
    list.replaceChildren(...claims.map((c) => {
      const item = document.createElement("li");
      item.textContent = c.textContent;
      return item;
    }));
    dialog.showModal();
  });
  on("export-anyway", () => {
    dialog.close();
    download();
  });
  on("export-cancel", () => dialog.close());
});
