// The visit form's running total: the points given so far and the indicators marked, updated as the
// inspector scores (the server computes the visit's score again on saving; this is what the eye needs).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("visit-form");
  const total = document.getElementById("score-total");
  if (!form || !total) return;
  const template = total.dataset.template;
  const available = Number(total.dataset.available || 0);
  const indicators = form.querySelectorAll("fieldset.indicator").length;

  function update() {
    let points = 0;
    let marked = 0;
    form.querySelectorAll("input[name^='points-']").forEach((input) => {
      const value = Number(input.value.replace("，", ".").replace(",", "."));
      if (input.value.trim() === "" || Number.isNaN(value)) return;
      const most = Number(input.max || value);
      points += Math.min(Math.max(value, 0), most);
      marked += 1;
    });
    marked += form.querySelectorAll("input[name^='passed-']:checked").length;
    total.textContent = template
      .replace("{points}", String(Math.round(points * 10) / 10))
      .replace("{total}", String(available))
      .replace("{marked}", String(marked))
      .replace("{indicators}", String(indicators));
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
