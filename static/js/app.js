// Small behaviours wired by data attributes, so that pages carry no inline script.
document.addEventListener("click", (event) => {
  const printer = event.target.closest("[data-print]");
  if (printer) {
    event.preventDefault();
    window.print();
  }
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
    event.preventDefault();
  }
});

// A hidden input copies another field's value when its form is sent (one reason for many forms).
document.addEventListener("submit", (event) => {
  event.target.querySelectorAll("[data-mirror]").forEach((input) => {
    const source = document.querySelector(input.dataset.mirror);
    if (source) input.value = source.value;
  });
});

// The page a classroom QR opens sends its form at once in a real browser; link previews in chat
// apps do not run scripts, so a GET alone never checks anyone in.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosubmit]");
  if (form) form.requestSubmit();
});
