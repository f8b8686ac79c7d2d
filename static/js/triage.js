/* Triage pages: post the accept / reject / mark-triaged forms in the background and update the
   page in place, and on the queue, keyboard shortcuts (j/k move, a/r accept/reject the label,
   o or Enter open the evidence, t mark triaged). Without this script the same forms post
   normally and the page reloads; the shortcuts' help line stays hidden. */
(function () {
  "use strict";

  var status = document.getElementById("triage-status");
  var focusedRow = null; // the queue row the shortcuts act on
  var keyedForm = null; // the form a shortcut submitted last

  function announce(text) {
    if (status) status.textContent = text || "";
  }

  function showError(form, text) {
    var note = form.parentNode.querySelector(".triage-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "triage-error";
      note.setAttribute("role", "alert");
      form.parentNode.appendChild(note);
    }
    note.textContent = text;
  }

  function formBody(form, submitter) {
    var body = new FormData(form);
    // The clicked button carries the decision; FormData(form) leaves submit buttons out.
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    return body;
  }

  function queueShrank() {
    var count = document.getElementById("queue-count");
    if (!count) return;
    var left = Math.max(0, parseInt(count.dataset.count, 10) - 1);
    count.dataset.count = String(left);
    var text = count.querySelector("[data-count-text]");
    if (text) text.textContent = left + (left === 1 ? " issue" : " issues") + " to triage";
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-triage-row]"));
  }

  function focusRow(row) {
    if (!row) return;
    if (focusedRow) focusedRow.classList.remove("is-current");
    focusedRow = row;
    row.classList.add("is-current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function applied(form, data) {
    var row = form.closest("[data-triage-row]");
    if (form.dataset.triageForm === "decide") {
      var item = form.closest("[data-suggestion]");
      var id = item.id;
      item.outerHTML = data.html;
      var replaced = document.getElementById(id);
      if (row && form === keyedForm) {
        focusRow(row); // keyboard triage goes on from the same row
      } else {
        var next = replaced && replaced.querySelector("button");
        if (next) next.focus();
      }
    } else if (row) {
      var following = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      queueShrank();
      if (focusedRow === row) focusedRow = null;
      if (following) focusRow(following);
    } else {
      window.location.reload();
      return;
    }
    announce(data.message);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.triageForm) return;
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    var body = formBody(form, event.submitter);
    buttons.forEach(function (button) { button.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          showError(form, answer.data.error || "Steward refused the change.");
          announce(answer.data.error);
          return;
        }
        applied(form, answer.data);
      })
      .catch(function () {
        showError(form, "Could not reach Steward; try again.");
      })
      .finally(function () {
        buttons.forEach(function (button) { button.disabled = false; });
      });
  });

  // — keyboard shortcuts on the queue —

  var list = document.querySelector("[data-triage-rows]");
  if (!list) return;
  var help = document.getElementById("triage-keys");
  if (help) help.hidden = false;

  function typing(target) {
    return target.closest("input, select, textarea, [contenteditable]") !== null;
  }

  function currentRow() {
    var inside = document.activeElement && document.activeElement.closest("[data-triage-row]");
    return inside || (focusedRow && focusedRow.isConnected ? focusedRow : null);
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var at = all.indexOf(currentRow());
    var target = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
    focusRow(all[Math.max(0, Math.min(all.length - 1, target))]);
  }

  function press(row, key) {
    var button = row && row.querySelector('.row-actions button[data-key="' + key + '"]');
    if (!button || button.disabled) return false;
    keyedForm = button.form;
    button.form.requestSubmit(button);
    return true;
  }

  function toggleEvidence(row) {
    var details = row && row.querySelector("[data-row-evidence]");
    if (details) details.open = !details.open;
  }

  list.addEventListener("focusin", function (event) {
    var row = event.target.closest("[data-triage-row]");
    if (row && row !== focusedRow) {
      if (focusedRow) focusedRow.classList.remove("is-current");
      focusedRow = row;
      row.classList.add("is-current");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target)) return;
    var row = currentRow();
    var handled = true;
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "a":
        handled = press(row, "a");
        break;
      case "r":
        handled = press(row, "r");
        break;
      case "t":
        handled = press(row, "t");
        break;
      case "o":
        toggleEvidence(row);
        handled = row !== null;
        break;
      case "Enter":
        // Enter on a link or button does its own thing; on the row itself it opens the evidence.
        handled = row !== null && event.target === row;
        if (handled) toggleEvidence(row);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
