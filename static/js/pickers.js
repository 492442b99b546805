/* Searchable pickers for <select multiple data-picker> (core.forms.PickerSelectMultiple).
 *
 * Without this file the select stays a plain grouped list. With it, tom-select
 * shows the chosen items as removable chips and filters the options as people
 * type, folding Persian text the way core/persian.py does (ي→ی, ك→ک, Persian and
 * Arabic digits, ZWNJ and marks dropped), so «علي» finds «علی» and «۸» finds «8».
 * The Persian strings come from the select's data- attributes: no inline script.
 */
(function () {
  "use strict";

  var LETTERS = {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u06d2": "\u06cc", "\u0643": "\u06a9",
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u0623": "\u0627", "\u0625": "\u0627",
    "\u0671": "\u0627", "\u0624": "\u0648"
  };
  var DROP = /[\u200b-\u200f\u2060\ufeff\u0640\u202a-\u202e\u2066-\u2069]/g;

  function fold(text) {
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u064a\u0649\u06d2\u0643\u0629\u06c0\u0623\u0625\u0671\u0624]/g, function (ch) { return LETTERS[ch]; })
      .replace(/[\u06f0-\u06f9]/g, function (d) { return String(d.charCodeAt(0) - 0x06f0); })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(DROP, "")
      .replace(/\p{Mn}/gu, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var empty = select.dataset.pickerEmpty || "";
    var remove = select.dataset.pickerRemove || "";
    var label = select.labels && select.labels[0] ? select.labels[0].textContent.replace(/[:：]\s*$/, "").trim() : "";
    var folded = {};
    new TomSelect(select, {
      plugins: { remove_button: { title: remove, label: "\u00d7" } },
      placeholder: select.dataset.pickerPlaceholder || "",
      hidePlaceholder: false,
      maxOptions: null,
      highlight: false,
      closeAfterSelect: false,
      lockOptgroupOrder: true,
      // Every word typed must appear in the option's folded text; options keep their server-side order.
      score: function (search) {
        var words = fold(search).split(" ").filter(Boolean);
        return function (item) {
          var key = item.value;
          if (!(key in folded)) {
            folded[key] = fold(item.text);
          }
          for (var i = 0; i < words.length; i++) {
            if (folded[key].indexOf(words[i]) === -1) {
              return 0;
            }
          }
          return 1;
        };
      },
      sortField: [{ field: "$order" }],
      render: {
        no_results: function () {
          return '<div class="no-results" role="status">' + escapeHtml(empty) + "</div>";
        }
      }
    });
    // The label now names the search box; the hidden select keeps a name of its own.
    if (label) {
      select.setAttribute("aria-label", label);
    }
  }

  function init(root) {
    root.querySelectorAll("select[multiple][data-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
