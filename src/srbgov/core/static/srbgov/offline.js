// Forms that keep working where the signal is weak (docs/homes.md, "Offline").
//
// A form marked data-offline is sent with fetch. If the network fails, the form's
// fields (with its submission key, core/submissions.py) go into an outbox in
// localStorage and are sent when the connection returns: from any page of srbgov,
// on the "online" event, on load, and from the 立即发送 button. The server saves a
// key once, so a reply lost on the way back and a resend still make one record.
// Items belong to the user who queued them and are sent only in her session.
(function () {
  "use strict";
  var KEY = "srbgov.outbox";
  var box = document.getElementById("outbox");
  if (!box) return;
  var user = box.getAttribute("data-user");
  var loginPath = box.getAttribute("data-login");
  var sending = false;

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch (e) {
      return [];
    }
  }
  function save(items) {
    localStorage.setItem(KEY, JSON.stringify(items));
  }
  function mine(items) {
    return items.filter(function (i) { return i.user === user; });
  }

  function text(el, value) {
    el.textContent = value;
    return el;
  }

  function render() {
    var items = mine(load());
    var list = box.querySelector("ul");
    list.textContent = "";
    items.forEach(function (i) {
      var li = document.createElement("li");
      li.setAttribute("data-key", i.key);
      li.appendChild(text(document.createElement("span"), i.label + " · " + i.saved));
      if (i.problem) {
        var a = document.createElement("a");
        a.href = i.url;
        li.appendChild(text(document.createElement("span"), " — " + i.problem + " "));
        li.appendChild(text(a, box.getAttribute("data-open")));
      }
      list.appendChild(li);
    });
    box.querySelector(".outbox-count").textContent = String(items.length);
    box.hidden = items.length === 0;
  }

  function drop(key) {
    save(load().filter(function (i) { return i.key !== key; }));
  }
  function mark(key, problem) {
    save(load().map(function (i) {
      if (i.key === key) i.problem = problem;
      return i;
    }));
  }

  // One item: true when the server answered (saved, or refused for a reason that a
  // resend would not change), false when the network failed (try again later).
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.body),
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (response) {
      var landed = new URL(response.url, location.href).pathname;
      if (response.redirected && landed.indexOf(loginPath) !== 0) {
        drop(item.key);
      } else if (response.redirected || response.status === 403) {
        mark(item.key, box.getAttribute("data-relogin"));
      } else {
        mark(item.key, box.getAttribute("data-invalid"));
      }
      return true;
    }, function () {
      return false;
    });
  }

  function flush() {
    if (sending || !navigator.onLine) return;
    var waiting = mine(load()).filter(function (i) { return !i.problem; });
    if (!waiting.length) return;
    sending = true;
    // One after another: the first network failure stops the round.
    waiting.reduce(function (chain, item) {
      return chain.then(function (go) { return go ? send(item) : false; });
    }, Promise.resolve(true)).then(function () {
      sending = false;
      render();
    });
  }

  function queue(form) {
    var body = Array.from(new FormData(form).entries());
    var key = (form.querySelector("[name=submission_key]") || {}).value;
    var now = new Date();
    var items = load().filter(function (i) { return i.key !== key; });
    items.push({
      key: key,
      user: user,
      url: form.action || location.href,
      body: body,
      label: form.getAttribute("data-offline"),
      saved: now.toLocaleDateString() + " " + now.toLocaleTimeString().slice(0, 5),
    });
    save(items);
    render();
    var note = form.querySelector(".offline-note");
    if (note) {
      note.hidden = false;
    }
  }

  document.querySelectorAll("form[data-offline]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-native")) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      if (!navigator.onLine) {
        queue(form);
        if (button) button.disabled = false;
        return;
      }
      fetch(form.action || location.href, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      }).then(function (response) {
        if (response.redirected) {
          location.assign(response.url);
        } else {
          // Errors to show: let the browser post it again (same key, nothing was
          // saved) and render the server's page with its messages.
          form.setAttribute("data-native", "");
          form.submit();
        }
      }, function () {
        queue(form);
        if (button) button.disabled = false;
      });
    });
  });

  box.querySelector("button").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("storage", render);
  render();
  flush();
})();
