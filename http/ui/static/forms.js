// forms.js enhances ducha's forms; every form works without it.
//  - [data-picker]: a checkbox list of units gets a filter box that matches
//    the name, its traditional form and its pinyin initials (data-search);
//    the arrows move from the filter through the units shown, Enter ticks.
//  - input[type=file][data-preview]: the chosen image is shown before upload.
//  - textarea[data-proposals]: the measures a handling text reports are
//    asked of the server after a pause in typing and offered as checkboxes;
//    a ticked one fills a row of the measure table, an unticked one empties it.
// No dependency, no build step: the lead may fold it into the bundle.
(function () {
  "use strict";

  function norm(s) {
    return (s || "").toLowerCase().replace(/\s+/g, "");
  }

  // Unit pickers.
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), function (box) {
    var input = box.querySelector(".picker-filter");
    if (!input) {
      return;
    }
    input.hidden = false;
    var options = box.querySelectorAll("[data-search]");
    input.addEventListener("input", function () {
      var q = norm(input.value);
      Array.prototype.forEach.call(options, function (o) {
        var hit = q === "" || o.getAttribute("data-search").indexOf(q) >= 0;
        var checked = o.querySelector("input").checked;
        o.hidden = !hit && !checked; // a chosen unit stays in sight
      });
    });
    // The keyboard: ArrowDown goes from the filter into the units shown,
    // the arrows move between them and ArrowUp from the first goes back;
    // Enter ticks a unit as Space does, and neither it nor Enter in the
    // filter submits the form half filled in.
    function shown() {
      return Array.prototype.filter.call(options, function (o) {
        return !o.hidden;
      }).map(function (o) {
        return o.querySelector("input");
      });
    }
    box.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== "ArrowDown" && e.key !== "ArrowUp") {
        return;
      }
      var list = shown();
      var i = list.indexOf(e.target);
      if (e.target !== input && i < 0) {
        return;
      }
      e.preventDefault();
      if (e.key === "Enter") {
        if (i >= 0) {
          e.target.click();
        }
      } else if (e.key === "ArrowDown") {
        var next = list[i + 1]; // from the filter (i = -1), the first unit
        if (next) {
          next.focus();
        }
      } else if (i >= 0) {
        (i > 0 ? list[i - 1] : input).focus();
      }
    });
    // A browser sends the Enter's keypress even when its keydown was
    // taken (DevTools' key events do), and a checkbox submits on it.
    box.addEventListener("keypress", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
      }
    });
  });

  // Image previews.
  Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-preview]"), function (f) {
    f.addEventListener("change", function () {
      var img = document.getElementById(f.getAttribute("data-preview"));
      var file = f.files && f.files[0];
      if (!img) {
        return;
      }
      if (img.src && img.src.indexOf("blob:") === 0) {
        URL.revokeObjectURL(img.src);
      }
      if (file && /^image\//.test(file.type)) {
        img.src = URL.createObjectURL(file);
        img.hidden = false;
      } else {
        img.hidden = true;
        img.removeAttribute("src");
      }
    });
  });

  // Proposed measures.
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-proposals]"), function (ta) {
    var form = ta.form;
    var box = form.querySelector(".proposals");
    if (!box) {
      return;
    }
    var list = box.querySelector("ul");
    var tbody = form.querySelector(".measure-rows tbody");
    var timer = 0;
    var seq = 0;

    function field(row, name) {
      return row.querySelector("[name=" + name + "]");
    }
    function rowOf(kind) {
      var rows = tbody.querySelectorAll("tr");
      for (var i = 0; i < rows.length; i++) {
        if (field(rows[i], "m_kind").value === kind) {
          return rows[i];
        }
      }
      return null;
    }
    function emptyRow() {
      var rows = tbody.querySelectorAll("tr");
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        if (!field(r, "m_kind").value && !field(r, "m_enterprise").value && !field(r, "m_persons").value && !field(r, "m_fine").value) {
          return r;
        }
      }
      var copy = rows[rows.length - 1].cloneNode(true);
      tbody.appendChild(copy);
      set(copy, {});
      return copy;
    }
    function set(row, p) {
      field(row, "m_kind").value = p.kind || "";
      field(row, "m_enterprise").value = p.enterprise || "";
      field(row, "m_persons").value = p.persons ? String(p.persons) : "";
      field(row, "m_fine").value = p.fine_yuan && p.fine_yuan !== "0.00" ? p.fine_yuan : "";
      var ev = row.querySelector("small");
      if (ev) {
        ev.textContent = p.evidence || "";
      }
    }
    function describe(p) {
      var parts = [p.label];
      if (p.fine_yuan && p.fine_yuan !== "0.00") {
        parts.push(box.getAttribute("data-fine").replace("%s", p.fine_yuan));
      }
      if (p.persons) {
        parts.push(box.getAttribute("data-persons").replace("%d", p.persons));
      }
      if (p.enterprise) {
        parts.push(p.enterprise);
      }
      return parts.join(" · ");
    }
    function render(items) {
      list.textContent = "";
      items.forEach(function (p) {
        var li = document.createElement("li");
        var label = document.createElement("label");
        label.className = "check";
        var cb = document.createElement("input");
        cb.type = "checkbox";
        cb.value = p.kind;
        cb.className = "proposal-accept";
        cb.checked = rowOf(p.kind) !== null;
        cb.addEventListener("change", function () {
          var row = rowOf(p.kind);
          if (cb.checked && !row) {
            set(emptyRow(), p);
          } else if (!cb.checked && row) {
            set(row, {});
          }
        });
        label.appendChild(cb);
        label.appendChild(document.createTextNode(" " + box.getAttribute("data-accept") + "：" + describe(p)));
        li.appendChild(label);
        if (p.evidence) {
          var q = document.createElement("q");
          q.textContent = p.evidence;
          li.appendChild(document.createTextNode(" "));
          li.appendChild(q);
        }
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
    }
    function ask() {
      var mine = ++seq;
      fetch(ta.getAttribute("data-proposals"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ handling: ta.value })
      }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (j) {
        if (j && mine === seq) {
          render(j.items || []);
        }
      }).catch(function () {});
    }
    ta.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 500);
    });
    if (ta.value) {
      ask();
    }
  });
})();
