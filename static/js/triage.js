/* Triage pages: post the accept / reject / mark-triaged forms in the background and update the
   page in place. Without this script the same forms post normally and the page reloads. */
(function () {
  "use strict";

  var status = document.getElementById("triage-status");

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

  function applied(form, data) {
    if (form.dataset.triageForm === "decide") {
      var item = form.closest("[data-suggestion]");
      var id = item.id;
      item.outerHTML = data.html;
      var replaced = document.getElementById(id);
      var next = replaced && replaced.querySelector("button");
      if (next) next.focus();
    } else if (document.getElementById("queue-count")) {
      var card = form.closest("[data-triage-card]");
      var following = card.nextElementSibling;
      card.remove();
      queueShrank();
      var heading = following && following.querySelector("h2 a");
      if (heading) heading.focus();
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
})();
