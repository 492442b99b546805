"use strict";
// Where the admin's own scripts fall short: a widget's accessible names, and the counts they write
// ("3 of 54 selected", new inline rows "#2") in Persian digits on Persian pages, as the server writes them.
// Loaded deferred, after the admin's message catalogue (jsi18n) and the form's widget scripts.
(function() {
    // The two-list selector (SelectFilter2.js) names its search icons with aria-label on a bare span,
    // which assistive technology may ignore (axe: aria-prohibited-attr); as an image the name is read.
    window.addEventListener("load", () => {
        document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])").forEach((icon) => {
            icon.setAttribute("role", "img");
        });
    });
    if (!(document.documentElement.lang || "").startsWith("fa")) {
        return;
    }
    const persian = (text) => String(text).replace(/[0-9]/g, (digit) => "۰۱۲۳۴۵۶۷۸۹"[digit]);
    if (typeof window.interpolate === "function") {
        const interpolate = window.interpolate;
        window.interpolate = (fmt, obj, named) => persian(interpolate(fmt, obj, named));
    }
    // Django numbers a new inline row "#N" from the rows before it; renumber that group's labels.
    document.addEventListener("formset:added", (event) => {
        const group = event.target.closest(".inline-group");
        if (!group) {
            return;
        }
        group.querySelectorAll(".inline-related:not(.empty-form)").forEach((row, index) => {
            const label = row.querySelector(".inline_label");
            if (label && /^#/.test(label.textContent.trim())) {
                label.textContent = "#" + persian(index + 1);
            }
        });
    });
})();
