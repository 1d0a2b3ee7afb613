// Greenlane progressive enhancement. No inline scripts (CSP): behaviour hangs off data- attributes.
document.addEventListener("click", function (event) {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
