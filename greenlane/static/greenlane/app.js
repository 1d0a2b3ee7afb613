// Greenlane progressive enhancement. No inline scripts (CSP): behaviour hangs off data- attributes.
document.addEventListener("click", function (event) {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Security profile answers: show the justification for "not applicable" and the action plan for gaps.
function glToggleAnswerParts(form) {
  const checked = form.querySelector("input[type=radio][name$='status']:checked");
  const status = checked ? checked.value : "";
  form.querySelectorAll(".gl-na-only").forEach(function (el) {
    el.classList.toggle("gl-hidden", status !== "not_applicable");
  });
  form.querySelectorAll(".gl-gap-only").forEach(function (el) {
    el.classList.toggle("gl-hidden", status !== "partially_implemented" && status !== "not_implemented");
  });
}
document.addEventListener("change", function (event) {
  const form = event.target.closest(".gl-answer-form");
  if (form && event.target.matches("input[type=radio]")) {
    glToggleAnswerParts(form);
  }
});
