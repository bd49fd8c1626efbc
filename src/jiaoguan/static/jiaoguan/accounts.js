// The role form: choosing a school fetches that school's staff for the teacher's record.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("role-form");
  const school = document.getElementById("id_school");
  const staff = document.getElementById("id_staff");
  if (!form || !school || !staff) return;
  school.addEventListener("change", () => {
    fetch(form.dataset.staffOptions + "?school=" + encodeURIComponent(school.value))
      .then((response) => response.text())
      .then((html) => { staff.innerHTML = html; });
  });
});
