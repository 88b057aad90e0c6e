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

// --- Keyboard and screen readers: focus after htmx swaps, the live region, form errors ------------

// One polite live region per page (#live in base.html). Emptied first so that the same sentence
// twice in a row (two trainees marked 出勤) is read twice.
const announce = (text) => {
  const live = document.getElementById("live");
  if (!live || !text) return;
  live.textContent = "";
  window.setTimeout(() => {
    live.textContent = text;
  }, 50);
};

// An htmx swap replaces the element that had focus, and focus would fall to the body. Before the
// swap we note what had focus (its data-focus-key, else its id); after it settles focus goes to
// an element of the new content marked data-focus-after-swap, else to the one with the same key,
// else, if focus was lost, to the swapped-in element itself. Swapped-in content may carry a
// sentence for the live region in data-announce (the result of the action, or its error).
const focusBefore = new WeakMap();
const focusKeyOf = (element) => {
  if (!element || element === document.body) return null;
  if (element.dataset.focusKey) return `[data-focus-key="${CSS.escape(element.dataset.focusKey)}"]`;
  return element.id ? `#${CSS.escape(element.id)}` : null;
};

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  const active = document.activeElement;
  if (target && active && target.contains(active)) focusBefore.set(event.detail.xhr, focusKeyOf(active));
});

document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.target;
  if (!(swapped instanceof Element) || !swapped.isConnected) return;
  const within = (selector) => (swapped.matches(selector) ? swapped : swapped.querySelector(selector));
  const told = within("[data-announce]");
  if (told) announce(told.dataset.announce);
  const lost = !document.activeElement || document.activeElement === document.body;
  const key = focusBefore.get(event.detail.xhr);
  let next = within("[data-focus-after-swap]");
  if (!next && key && lost) next = document.querySelector(key);
  if (!next && key !== undefined && lost) {
    next = swapped;
    if (!next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
  }
  if (next && next !== document.activeElement) next.focus({ preventScroll: false });
});

// A request that fails (a server error, no network) is said, not swallowed — unless it was a
// background poll (hx-trigger "every …"), which nobody asked for and which tries again by itself.
const polled = (event) => /\bevery\b/.test(event.detail.elt?.getAttribute("hx-trigger") || "");
document.addEventListener("htmx:responseError", (event) => {
  if (!polled(event)) announce(`操作没有完成（服务器返回 ${event.detail.xhr.status}），请刷新页面后重试。`);
});
document.addEventListener("htmx:sendError", (event) => {
  if (!polled(event)) announce("网络连接失败，操作没有完成，请重试。");
});

// A form sent back with errors: focus goes to its error summary (templates/bootstrap5/errors.html,
// whose links lead to the fields) if the page has one, else to the
// first field in error, so a keyboard or screen-reader user starts where the problem is.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  const field = document.querySelector("main form .is-invalid, main form [aria-invalid='true']");
  const target = summary || field;
  if (!target) return;
  if (target === summary && !summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  target.focus();
});

// “复制链接”: copies the field it names (a unit's registration link) and says so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");
  }
  const live = document.getElementById("live");
  if (live) live.textContent = "已复制链接";
  button.dataset.copied = "1";
  button.lastChild.textContent = " 已复制";
});
