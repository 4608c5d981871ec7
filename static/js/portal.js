// Loaded as a module, so it runs only in browsers that govuk-frontend supports.
// The classes are set here, not inline in the page, because the
// Content-Security-Policy allows no inline scripts.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The account menu (a <details> in the header) closes, as a menu does, on Escape
// (focus back on "Your account") and on a click anywhere else on the page.
for (const menu of document.querySelectorAll('[data-module="app-account-menu"]')) {
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
}
