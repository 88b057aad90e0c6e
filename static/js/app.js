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

// A form that failed opens with its error summary (templates/bootstrap5/errors.html): focus moves
// there, so keyboard and screen-reader users start from what to fix; its links lead to the fields.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});

// Badge scanning with the phone camera where the browser decodes QR codes itself (BarcodeDetector,
// on https). Elsewhere the button stays hidden: a USB scanner or typing into the field works the same.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-camera-scan]");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.classList.remove("d-none");
  button.addEventListener("click", async () => {
    const field = document.querySelector(button.dataset.cameraScan);
    const video = document.querySelector("[data-camera-view]");
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.classList.remove("d-none");
    await video.play();
    const look = async () => {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length) {
        stream.getTracks().forEach((track) => track.stop());
        field.value = codes[0].rawValue;
        field.form.requestSubmit();
      } else {
        window.requestAnimationFrame(look);
      }
    };
    look();
  });
});

// The classroom screen's “全屏” button.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-fullscreen]") && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen();
  }
});

// Reading a material: the font size (A− / A+) and the place reached are kept on this phone.
document.addEventListener("DOMContentLoaded", () => {
  const reading = document.querySelector("[data-reading]");
  if (!reading) return;
  const sizeKey = "reading:size";
  const placeKey = `reading:place:${reading.dataset.reading}`;
  const sizes = [0.9, 1, 1.05, 1.15, 1.3, 1.45, 1.6];
  let size = Number(window.localStorage.getItem(sizeKey)) || 1.05;
  const apply = () => reading.style.setProperty("--reading-size", `${size}rem`);
  apply();
  reading.querySelectorAll("[data-font-step]").forEach((button) => {
    button.addEventListener("click", () => {
      const at = sizes.findIndex((s) => s >= size);
      const next = Math.min(sizes.length - 1, Math.max(0, (at < 0 ? 2 : at) + Number(button.dataset.fontStep)));
      size = sizes[next];
      window.localStorage.setItem(sizeKey, String(size));
      apply();
    });
  });
  const place = Number(window.localStorage.getItem(placeKey));
  if (!window.location.hash && place > 0) {
    window.scrollTo(0, place * document.documentElement.scrollHeight);
  }
  let pending = false;
  window.addEventListener("scroll", () => {
    if (pending) return;
    pending = true;
    window.setTimeout(() => {
      pending = false;
      const fraction = window.scrollY / document.documentElement.scrollHeight;
      window.localStorage.setItem(placeKey, fraction.toFixed(4));
    }, 400);
  });
});

// The course tabs scroll sideways on a phone: bring the current one into view.
document.addEventListener("DOMContentLoaded", () => {
  const active = document.querySelector(".course-tabs .nav-link.active");
  if (active) active.scrollIntoView({ block: "nearest", inline: "center" });
});

// A long select (the trainee of a discipline record, the lecturers of a session) gets a search box that narrows its options as
// one types and picks the first that matches; without scripts the plain select still works.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-searchable]").forEach((select) => {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1";
    search.placeholder = select.dataset.searchable;
    search.setAttribute("aria-label", select.dataset.searchable);
    select.before(search);
    search.addEventListener("input", () => {
      const words = search.value.trim();
      let first = null;
      Array.from(select.options).forEach((option) => {
        const shown = !words || !option.value || option.text.includes(words);
        option.hidden = !shown;
        if (shown && option.value && !first) first = option;
      });
      // One pick: the first match is chosen. Several (the lecturers of a session): the picks stay.
      if (words && first && !select.multiple) select.value = first.value;
    });
  });
});
