import { formatUptime } from "./uptime.js";

const badge = document.querySelector("[data-uptime]");
if (badge) {
  const started = Number(badge.dataset.uptime);
  badge.textContent = formatUptime(Date.now() / 1000 - started);
}
