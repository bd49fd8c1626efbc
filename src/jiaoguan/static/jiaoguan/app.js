// Asks before a form does something that cannot be undone: the form, or the button pressed, carries
// the question in data-confirm.
document.addEventListener("submit", (event) => {
  const question = (event.submitter && event.submitter.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// A select marked data-autosubmit submits its form when changed (filters without a button).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
