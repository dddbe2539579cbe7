// newsprism web app: the only script (served from /static, no inline script anywhere).
// Writes (watchlist) send the bearer token the user typed; it is kept for this tab only.
"use strict";

function tokenFrom(form) {
  const field = form && form.querySelector("input[name=token]");
  if (field && field.value) {
    sessionStorage.setItem("newsprism-token", field.value);
    return field.value;
  }
  return sessionStorage.getItem("newsprism-token") || window.prompt("Token (NEWSPRISM_TOKEN)") || "";
}

async function send(method, url, token, body) {
  const opts = { method, headers: { Authorization: "Bearer " + token } };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(url, opts);
  if (!res.ok) {
    let message = res.status + "";
    try { message = (await res.json()).error.message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return res.status === 204 ? null : res.json();
}

function say(el, text) { if (el) { el.textContent = text; } }

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("watch-form");
  if (form) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const status = document.getElementById("watch-status");
      const data = new FormData(form);
      try {
        await send("POST", "/api/watchlist", tokenFrom(form), { kind: data.get("kind"), value: data.get("value") });
        say(status, "added");
        window.location.reload();
      } catch (err) {
        say(status, "not added: " + err.message);
      }
    });
  }
  for (const button of document.querySelectorAll("button.watch-seen, button.watch-remove")) {
    button.addEventListener("click", async () => {
      const status = document.querySelector(".watch-status");
      const id = encodeURIComponent(button.dataset.id);
      try {
        if (button.classList.contains("watch-seen")) {
          await send("POST", "/api/watchlist/" + id + "/seen", tokenFrom(null));
          window.location.reload();
        } else {
          await send("DELETE", "/api/watchlist/" + id, tokenFrom(null));
          window.location.assign("/watchlist");
        }
      } catch (err) {
        say(status, err.message);
      }
    });
  }
  for (const button of document.querySelectorAll("button.watch-entity")) {
    button.addEventListener("click", async () => {
      try {
        await send("POST", "/api/watchlist", tokenFrom(null), { kind: "entity", value: button.dataset.value });
        window.location.assign("/watchlist");
      } catch (err) {
        button.textContent = "not added: " + err.message;
      }
    });
  }
});
