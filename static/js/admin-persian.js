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
    // select2 (the autocomplete fields) names its combobox after the chosen value only, so an empty
    // field has no name, and its search box has no label at all: name both after the field's label.
    const labelFor = (selectId) => {
        const label = selectId && document.querySelector(`label[for="${selectId}"]`);
        if (label && !label.id) {
            label.id = `${selectId}_label`;
        }
        return label;
    };
    const nameSelect2 = (root) => {
        root.querySelectorAll(".select2-selection[role=combobox]:not([data-named])").forEach((box) => {
            const container = box.closest(".select2-container");
            const select = container && container.previousElementSibling;
            const label = labelFor(select && select.id);
            if (label) {
                const shown = box.getAttribute("aria-labelledby");
                box.setAttribute("aria-labelledby", shown ? `${label.id} ${shown}` : label.id);
                box.dataset.named = "1";
                const shownValue = box.querySelector(".select2-selection__rendered[role=textbox][id]");
                if (shownValue) {
                    shownValue.setAttribute("aria-labelledby", `${label.id} ${shownValue.id}`);
                }
            }
        });
        root.querySelectorAll(".select2-search__field:not([aria-label])").forEach((field) => {
            const owner = field.getAttribute("aria-controls") || field.getAttribute("aria-owns") || "";
            const inline = field.closest(".select2-container");
            const select = owner.match(/^select2-(.+)-results$/)
                ? document.getElementById(owner.replace(/^select2-/, "").replace(/-results$/, ""))
                : inline && inline.previousElementSibling;
            const label = labelFor(select && select.id);
            if (label) {
                field.setAttribute("aria-label", label.textContent.replace(/[:：]\s*$/, "").trim());
            }
        });
    };
    window.addEventListener("load", () => {
        nameSelect2(document);
        new MutationObserver(() => nameSelect2(document)).observe(document.body, { childList: true, subtree: true });
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
