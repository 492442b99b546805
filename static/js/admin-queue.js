"use strict";
// The moderation queue's keyboard flow: after a row is decided in place (htmx swaps its decision cell),
// the focus goes to the next row still waiting, so the next decision is one Enter (or a few keys for a
// rejection) away; the row just decided keeps its Undo a few Shift+Tabs back. An undone row gets its own
// Approve button back, a refused rejection its reason field. The outcome is read out from one status line.
(function() {
    const waitingButton = (cell) => cell.querySelector("button[form^='approve-']");

    const nextWaiting = (cell) => {
        const cells = Array.from(document.querySelectorAll(".queue-decision"));
        const after = cells.slice(cells.indexOf(cell) + 1).concat(cells.slice(0, cells.indexOf(cell)));
        for (const other of after) {
            const button = waitingButton(other);
            if (button) {
                return button;
            }
        }
        return null;
    };

    document.addEventListener("htmx:afterSwap", (event) => {
        const cell = event.detail.target && event.detail.target.id
            ? document.getElementById(event.detail.target.id)
            : null;
        if (!cell || !cell.classList.contains("queue-decision")) {
            return;
        }
        const outcome = cell.dataset.outcome;
        let target = null;
        if (outcome === "error") {
            target = cell.querySelector(".queue-reject select, .queue-reject input");
        } else if (outcome === "decided") {
            target = nextWaiting(cell) || cell.querySelector("button[form^='undo-']");
        } else {
            target = waitingButton(cell);
        }
        const status = document.getElementById("queue-status");
        const said = cell.querySelector(".errornote, .queue-outcome");
        if (status && said) {
            status.textContent = said.textContent.trim();
        }
        if (target) {
            target.focus();
        }
    });
})();
