// Start GOV.UK Frontend and MOJ Frontend components on every page.
// Loaded as <script type="module">, so browsers too old for GOV.UK Frontend skip it
// and get the plain HTML pages, which work without JavaScript.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
