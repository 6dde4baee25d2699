// Start GOV.UK Frontend and MOJ Frontend components on every page.
// Loaded as <script type="module">, so browsers too old for GOV.UK Frontend skip it
// and get the plain HTML pages, which work without JavaScript.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMojFrontend } from "./moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();

// MOJ's initAll leaves out the filter's show/hide button. Without it a phone's list is covered
// by its filter panel (fixed over the page when scripts run), so start it on every filter:
// hidden behind "Show filter" on a phone, always open on a wider screen.
const bigMode = "(min-width: 48.0625em)"; // MOJ's own breakpoint for the filter layout
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  try {
    new FilterToggleButton(filter, {
      bigModeMediaQuery: bigMode,
      startHidden: !window.matchMedia(bigMode).matches,
    });
  } catch (error) {
    console.log(error);
  }
}

// A table wider than a phone's screen scrolls in its own box (app.scss); one that does can be
// focused, so keyboard users can scroll it too, and is named by its caption.
function markScrollingTables() {
  for (const table of document.querySelectorAll(".govuk-table")) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.setAttribute("tabindex", "0");
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  }
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);
