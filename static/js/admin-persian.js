"use strict";
// Counts the admin's own scripts write ("3 of 54 selected", new inline rows "#2") in Persian digits on
// Persian pages, as the server writes them. Loaded deferred, after the admin's message catalogue (jsi18n).
(function() {
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
