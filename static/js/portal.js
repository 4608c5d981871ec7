// Loaded as a module, so it runs only in browsers that govuk-frontend supports.
// The classes are set here, not inline in the page, because the
// Content-Security-Policy allows no inline scripts.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
