// The script every page loads (deferred). Pages work without it: forms
// post and links navigate; htmx only enhances the elements that ask for it
// with hx-* attributes.
import htmx from "htmx.org";

// The server's Content-Security-Policy forbids inline styles and eval:
// htmx must neither insert its indicator <style> nor evaluate hx-on or
// js: expressions.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;
htmx.config.historyCacheSize = 0; // pages may hold another unit's data after logout
window.htmx = htmx;
