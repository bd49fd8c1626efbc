// The summary editor: a figure shows its source on hover or focus and opens the list behind it on
// click; the text goes back to the server as blocks of text and figures.
document.addEventListener("DOMContentLoaded", () => {
  const editor = document.getElementById("editor");
  if (!editor) return;
  const sources = JSON.parse(document.getElementById("fact-sources").textContent);
  const panel = document.getElementById("source");
  const show = (span) => {
    const fact = sources[span.dataset.fact];
    if (!fact) return;
    document.getElementById("source-label").textContent = fact.label;
    document.getElementById("source-value").textContent = fact.value + (fact.unit === "%" ? "" : " " + fact.unit);
    document.getElementById("source-query").textContent = fact.query;
    document.getElementById("source-link").href = fact.link;
    panel.hidden = false;
  };
  editor.querySelectorAll(".fact").forEach((span) => {
    const fact = sources[span.dataset.fact];
    if (fact) span.title = fact.label + "：" + fact.value + (fact.unit === "%" ? "" : fact.unit);
    span.addEventListener("mouseenter", () => show(span));
    span.addEventListener("click", () => show(span));  // the list opens from the panel's link, never by surprise
  });
  document.getElementById("summary-form").addEventListener("submit", () => {
    const blocks = [];
    editor.querySelectorAll(":scope > .block").forEach((block) => {
      const parts = [];
      const walk = (node) => {
        node.childNodes.forEach((child) => {
          if (child.nodeType === Node.TEXT_NODE) {
            if (child.textContent) parts.push(child.textContent.replace(/\s*\n\s*/g, ""));
          } else if (child.classList && child.classList.contains("fact")) {
            parts.push({ fact: child.dataset.fact, text: child.textContent });
          } else {
            walk(child);
          }
        });
      };
      walk(block);
      blocks.push({ kind: block.dataset.kind, parts });
    });
    document.getElementById("blocks").value = JSON.stringify(blocks);
  });
});
