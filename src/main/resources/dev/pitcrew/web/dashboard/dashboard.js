// Pitcrew dashboard: draws the trend chart and sends approve/reject decisions to the JSON API.
// The API token lives in this tab's sessionStorage only (ADR 0011): never in a cookie, the URL or the page.
(function () {
  "use strict";
  var TOKEN_KEY = "pitcrew.apiToken";

  function drawTrend() {
    var holder = document.getElementById("trend-chart");
    var dataEl = document.getElementById("trend-data");
    if (!holder || !dataEl || typeof uPlot === "undefined") return;
    var d = JSON.parse(dataEl.textContent);
    var opts = {
      width: Math.max(200, holder.clientWidth),
      height: holder.clientWidth < 500 ? 200 : 260,
      legend: { show: true },
      scales: { x: { time: true } },
      axes: [{}, { size: 45 }],
      series: [
        {},
        { label: "Failures", stroke: "#c0362c", width: 2, fill: "rgba(192,54,44,0.08)" },
        { label: "Fixed automatically", stroke: "#1a7f37", width: 2 }
      ]
    };
    var plot = new uPlot(opts, [d.x, d.failures, d.fixed], holder);
    var last = holder.clientWidth;
    window.addEventListener("resize", function () {
      if (holder.clientWidth !== last) {
        last = holder.clientWidth;
        plot.setSize({ width: Math.max(200, last), height: last < 500 ? 200 : 260 });
      }
    });
  }

  function status(text, isError) {
    var el = document.getElementById("approval-status");
    if (!el) return;
    el.textContent = text;
    el.className = isError ? "status error" : "status";
  }

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  function setupTokenForm() {
    var form = document.getElementById("token-form");
    if (!form) return;
    var input = document.getElementById("api-token");
    if (token()) input.placeholder = "token set for this tab";
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var t = input.value.trim();
      if (!t) { status("Paste the value of PITCREW_API_TOKEN first.", true); return; }
      sessionStorage.setItem(TOKEN_KEY, t);
      input.value = "";
      input.placeholder = "token set for this tab";
      status("Token kept for this tab until you close it.", false);
    });
    document.getElementById("forget-token").addEventListener("click", function () {
      sessionStorage.removeItem(TOKEN_KEY);
      input.placeholder = "PITCREW_API_TOKEN";
      status("Token forgotten.", false);
    });
  }

  function decide(button) {
    var id = button.getAttribute("data-action-id");
    var decision = button.getAttribute("data-decision");
    var t = token();
    if (!t) {
      status("Paste the API token above before you " + decision + ".", true);
      document.getElementById("api-token").focus();
      return;
    }
    var row = button.closest("tr");
    var buttons = row ? row.querySelectorAll("button") : [button];
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch("/api/actions/" + encodeURIComponent(id) + "/" + decision, {
      method: "POST",
      headers: { "Authorization": "Bearer " + t, "Content-Type": "application/json" },
      body: JSON.stringify({ decided_by: "dashboard" }),
      credentials: "omit",
      cache: "no-store"
    }).then(function (res) {
      return res.text().then(function (body) {
        var reason = "";
        try { reason = JSON.parse(body).reason || ""; } catch (e) { reason = ""; }
        if (res.ok) {
          if (row) row.parentNode.removeChild(row);
          status((decision === "approve" ? "Approved " : "Rejected ") + id + ".", false);
          var left = document.querySelectorAll("table.approvals tbody tr").length;
          var none = document.getElementById("no-approvals");
          if (left === 0 && none) none.hidden = false;
        } else {
          if (res.status === 401) sessionStorage.removeItem(TOKEN_KEY);
          status("The API answered " + res.status + (reason ? ": " + reason : "") + ".", true);
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        }
      });
    }).catch(function (err) {
      status("Could not reach the API: " + err.message, true);
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawTrend();
    setupTokenForm();
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-decision]");
      if (b) decide(b);
    });
  });
})();
